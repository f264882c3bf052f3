import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// The built package as a service loads it, in a plain Node process: ESM and CommonJS each mount the
// console on node:http and serve the UI from dist/ui, found beside the built module. (turbo builds
// this package before its tests.)
const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const run = promisify(execFile);

const program = (load: string) => `
${load}
const { createServer } = require('node:http');
const opsConsole = createConsole({ source: createInProcessSource(), authorize: async () => ({ id: 'ana' }), basePath: '/c' });
const server = createServer(opsConsole.node).listen(0, '127.0.0.1', async () => {
  const origin = 'http://127.0.0.1:' + server.address().port;
  const page = await fetch(origin + '/c/');
  const html = await page.text();
  const script = /src="\\.\\/(assets\\/[^"]+\\.js)"/.exec(html)[1];
  const asset = await fetch(origin + '/c/' + script);
  console.log(JSON.stringify({
    page: page.status,
    base: html.includes('content="/c"'),
    asset: asset.status,
    type: asset.headers.get('content-type'),
  }));
  server.close();
});
`;

const expected = { page: 200, base: true, asset: 200, type: 'text/javascript; charset=utf-8' };

describe('the built package', () => {
  it('mounts and serves its UI from CommonJS (require)', async () => {
    const code = program(
      `const { createConsole, createInProcessSource } = require(${JSON.stringify(`${dist}index.cjs`)});`,
    );
    const { stdout } = await run(process.execPath, ['-e', code]);
    expect(JSON.parse(stdout)).toEqual(expected);
  });

  it('mounts and serves its UI from ESM (import)', async () => {
    const code = program(
      `import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\nimport { createConsole, createInProcessSource } from ${JSON.stringify(`${dist}index.js`)};`,
    );
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', code]);
    expect(JSON.parse(stdout)).toEqual(expected);
  });
});
