import { parseAlertEvent } from '@pytake/notify-core';
import { renderEmailForTenant } from '@pytake/notify-templates';
import { fixtureEntries } from '@pytake/notify-templates/fixtures';
import { describe, expect, it } from 'vitest';
import { previewDefaults } from './defaults.js';
import { emailCompatibility } from './email-compat.js';
import { previewTenant } from './preview-tenant.js';

describe('emailCompatibility()', () => {
  it('lists, per family, what its clients do not support, with caniemail notes', () => {
    const html =
      '<html><head><style>.a{display:flex}</style></head><body><div style="border-radius:4px">x</div></body></html>';
    const families = emailCompatibility(html);
    expect(families.map((f) => f.family)).toEqual(['Gmail', 'Outlook', 'Apple Mail', 'Yahoo']);
    const outlook = families.find((f) => f.family === 'Outlook')!;
    expect(outlook.unsupported.find((f) => f.feature === 'border-radius')).toEqual({
      feature: 'border-radius',
      clients: ['outlook.windows', 'outlook.windows-mail'],
      notes: [expect.stringContaining('VML')],
    });
    // Each family lists only its own clients.
    for (const family of families) {
      const prefix = { Gmail: 'gmail.', Outlook: 'outlook.', 'Apple Mail': 'apple-mail.', Yahoo: 'yahoo.' }[
        family.family
      ];
      for (const f of [...family.unsupported, ...family.partial])
        for (const client of f.clients) expect(client.startsWith(prefix)).toBe(true);
    }
  });

  // Pinned on purpose: a template change that adds a feature some client family does not support
  // (or drops one) changes this list, and the change is seen in review. Update with `vitest -u`
  // after checking the new entry is acceptable for that client.
  it('pins what each family does not support in the HTML of every fixture', async () => {
    const union = new Map<string, Set<string>>();
    for (const { event: input } of fixtureEntries) {
      const event = parseAlertEvent(input);
      const tenant = previewTenant({
        organizationId: event.alert.organizationId,
        recipient: previewDefaults.previewRecipient,
        webhookUrl: 'https://hooks.slack.com/services/T000/B000/preview',
      });
      const { html } = await renderEmailForTenant(event, tenant);
      for (const family of emailCompatibility(html)) {
        const set = union.get(family.family) ?? new Set<string>();
        for (const f of family.unsupported) set.add(`${f.feature} (${f.clients.join(', ')})`);
        union.set(family.family, set);
      }
    }
    const pinned = Object.fromEntries([...union].map(([family, set]) => [family, [...set].sort()]));
    expect(pinned).toMatchInlineSnapshot(`
      {
        "Apple Mail": [],
        "Gmail": [
          "display:none (gmail.mobile-webmail)",
          "opacity (gmail.mobile-webmail)",
          "overflow-wrap (gmail.android, gmail.desktop-webmail, gmail.ios)",
          "target attribute (gmail.android, gmail.desktop-webmail, gmail.ios, gmail.mobile-webmail)",
          "transform (gmail.android, gmail.desktop-webmail, gmail.ios, gmail.mobile-webmail)",
        ],
        "Outlook": [
          "<body> element (outlook.macos)",
          "border-radius (outlook.windows, outlook.windows-mail)",
          "opacity (outlook.windows, outlook.windows-mail)",
          "overflow (outlook.windows, outlook.windows-mail)",
          "overflow-wrap (outlook.android, outlook.ios, outlook.windows, outlook.windows-mail)",
          "role attribute (outlook.windows-mail)",
          "transform (outlook.android, outlook.ios, outlook.windows, outlook.windows-mail)",
          "white-space (outlook.windows, outlook.windows-mail)",
          "word-break (outlook.windows-mail)",
        ],
        "Yahoo": [
          "<body> element (yahoo.android, yahoo.ios)",
          "height property (yahoo.android, yahoo.desktop-webmail, yahoo.ios)",
          "overflow-wrap (yahoo.android, yahoo.desktop-webmail, yahoo.ios)",
          "target attribute (yahoo.android, yahoo.desktop-webmail, yahoo.ios)",
          "transform (yahoo.android, yahoo.desktop-webmail, yahoo.ios)",
          "word-break (yahoo.android, yahoo.desktop-webmail, yahoo.ios)",
        ],
      }
    `);
  }, 300_000);
});
