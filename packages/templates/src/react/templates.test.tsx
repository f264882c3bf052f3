import { render } from '@react-email/render';
import type { ReactElement } from 'react';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../fixtures/index.js';
import { htmlProblems } from '../test-support/html-validity.js';
import AlertCreatedEmail from './alert-created-email.js';
import AlertEscalatedEmail from './alert-escalated-email.js';
import AlertResolvedEmail from './alert-resolved-email.js';
import { AlertEmail, type AlertEmailProps } from './index.js';
import StaleAlertEmail from './stale-alert-email.js';

type Template = ((props: AlertEmailProps) => ReactElement) & { PreviewProps: AlertEmailProps };
const templates: Array<[string, Template]> = [
  ['AlertCreatedEmail', AlertCreatedEmail as Template],
  ['AlertEscalatedEmail', AlertEscalatedEmail as Template],
  ['AlertResolvedEmail', AlertResolvedEmail as Template],
  ['StaleAlertEmail', StaleAlertEmail as Template],
];

describe('React Email templates', () => {
  for (const [name, Template] of templates) {
    it(`${name} is a default export that renders its PreviewProps, as "email dev" expects`, async () => {
      const html = await render(<Template {...Template.PreviewProps} />);
      expect(html).toContain('<html dir="ltr" lang="en"');
      expect(await htmlProblems(html)).toEqual([]);
    });
  }

  it('AlertEmail picks the template for the event type', async () => {
    const html = await render(<AlertEmail event={fixtures['stale-9-days']} locale="pt-BR" />);
    expect(html).toContain('Revise este alerta');
  });
});
