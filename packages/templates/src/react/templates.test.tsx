import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { render } from '@react-email/render';
import type { ReactElement } from 'react';
import { describe, expect, it } from 'vitest';
import { renderAlertEmail } from '../email/render-alert-email.js';
import { fixtures } from '../fixtures/index.js';
import { htmlProblems } from '../testing/html-validity.js';
import { AlertEmail, type AlertEmailProps } from './index.js';

type Template = ((props: AlertEmailProps) => ReactElement) & { PreviewProps?: AlertEmailProps };
const here = dirname(fileURLToPath(import.meta.url));
// What `email dev --dir src/react` lists: every file of the folder with a default export (React
// Email's own rule is a look for `export default` in the source). Found here the same way, so a new
// template is checked without being added to a list.
const emailFiles = readdirSync(here)
  .filter((file) => /\.tsx$/.test(file) && !file.includes('.test.'))
  .filter((file) => /^export default /m.test(readFileSync(join(here, file), 'utf8')));

describe('React Email templates', () => {
  it('are the four alert emails, one per event type, each a file with a default export', () => {
    expect(emailFiles.sort()).toEqual([
      'alert-created-email.tsx',
      'alert-escalated-email.tsx',
      'alert-resolved-email.tsx',
      'stale-alert-email.tsx',
    ]);
  });

  for (const file of emailFiles) {
    it(`${file}: its default export renders its PreviewProps, as "email dev" does`, async () => {
      const module = (await import(`./${file.replace(/\.tsx$/, '.js')}`)) as { default: Template };
      const Template = module.default;
      expect(Template.PreviewProps).toBeDefined();
      const props = Template.PreviewProps!;
      // Read, not built, when the file loads: loading a template validates no fixture.
      expect(Object.getOwnPropertyDescriptor(props, 'event')?.get).toBeTypeOf('function');
      const html = await render(<Template {...props} />);
      expect(html).toContain('<html dir="ltr" lang="en"');
      // The same email the package sends for that event: the file's template fits its PreviewProps.
      const { event, ...options } = props;
      expect(html).toBe((await renderAlertEmail(event, options)).html);
      expect(await htmlProblems(html)).toEqual([]);
    });
  }

  it('AlertEmail picks the template for the event type', async () => {
    const html = await render(<AlertEmail event={fixtures['stale-9-days']} locale="pt-BR" />);
    expect(html).toContain('Revise este alerta');
  });
});
