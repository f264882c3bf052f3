// Compiles the React Email templates (src/react) into src/email/compiled-emails.generated.ts, which
// `renderAlertEmail` fills without React. Run by `pnpm build` before tsup (it does nothing when the
// sources and react-dom / React Email are those of the last compile), and by `pnpm run compile`.
import { readFileSync, writeFileSync } from 'node:fs';
import { compileInputsHash } from '../src/compile/compile-inputs.js';
import { compiledEmailsSource, inputsLine } from '../src/compile/compiled-emails-source.js';

const file = new URL('../src/email/compiled-emails.generated.ts', import.meta.url);
const inputs = compileInputsHash();
const current = (() => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
})();
if (!process.argv.includes('--force') && current.includes(inputsLine(inputs))) {
  console.log('email templates: compiled, up to date');
} else {
  const started = performance.now();
  // Loaded only now: the compiler loads React, React Email and every template.
  const { compileEmailTemplates } = await import('../src/compile/compile-email-templates.js');
  const compiled = await compileEmailTemplates();
  writeFileSync(file, compiledEmailsSource(compiled));
  const shapes = Object.keys(compiled.shapes).length;
  const ms = Math.round(performance.now() - started);
  console.log(
    `email templates: compiled ${shapes} shapes (${compiled.chunks.length} pieces of HTML) in ${ms} ms`,
  );
}
