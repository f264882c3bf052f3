// Node module hooks for worker processes under test (`node --import tsx --import ./src/testing/lua-hooks.mjs`):
// a `.lua` import is its text, as tsup's `text` loader makes it in the build.
import { register } from 'node:module';

const hooks = `
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
export async function load(url, context, next) {
  if (!url.endsWith('.lua')) return next(url, context);
  const text = readFileSync(fileURLToPath(url), 'utf8');
  return { format: 'module', source: 'export default ' + JSON.stringify(text) + ';', shortCircuit: true };
}
`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
