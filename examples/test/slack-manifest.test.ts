import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The Slack app manifest that the Slack README's setup steps paste: what the example endpoint and the
// Web API channel need, and nothing more.
const manifest = JSON.parse(readFileSync(new URL('../slack/manifest.json', import.meta.url), 'utf8')) as {
  features: { bot_user: { display_name: string } };
  oauth_config: { scopes: { bot: string[] } };
  settings: { interactivity: { is_enabled: boolean; request_url: string } };
};
const endpoint = readFileSync(new URL('../src/slack-interactivity.ts', import.meta.url), 'utf8');

describe('examples/slack/manifest.json', () => {
  it('has a bot user with the scopes the Web API channel uses, and no more', () => {
    expect(manifest.features.bot_user.display_name).not.toBe('');
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([
      'chat:write',
      'chat:write.public',
      'incoming-webhook',
    ]);
  });

  it("sends button clicks to the example endpoint's path", () => {
    const { is_enabled, request_url } = manifest.settings.interactivity;
    expect(is_enabled).toBe(true);
    const { protocol, pathname } = new URL(request_url);
    expect(protocol).toBe('https:');
    expect(endpoint).toContain(`request.url !== '${pathname}'`);
  });
});
