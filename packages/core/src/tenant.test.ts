import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors.js';
import { createStaticDirectory, parseTenantConfig } from './tenant.js';

const secretUrl = 'https://hooks.slack.com/services/T0AAA/B0BBB/s3cr3tT0kenValue';
const secretPart = 's3cr3tT0kenValue';

function configError(input: unknown): ConfigError {
  try {
    parseTenantConfig(input);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected parseTenantConfig to throw');
}

describe('parseTenantConfig()', () => {
  it('applies defaults: locale en, time zone UTC, channels enabled', () => {
    const config = parseTenantConfig({
      organizationId: 'org_acme',
      email: { to: ['ops@acme.com'] },
      slack: { webhooks: [{ url: secretUrl }] },
    });
    expect(config).toMatchObject({
      locale: 'en',
      timeZone: 'UTC',
      email: { enabled: true },
      slack: { enabled: true },
    });
  });

  it('names every bad field and echoes values that are not secret', () => {
    const error = configError({
      organizationId: 'org_acme',
      locale: 'fr',
      timeZone: 'Mars/Olympus',
      email: { to: ['not-an-email'] },
    });
    expect(error.code).toBe('config');
    expect(error.issues).toEqual([
      { path: 'locale', message: 'expected one of en, pt-BR, got "fr"' },
      {
        path: 'timeZone',
        message: 'expected an IANA time zone such as America/Sao_Paulo, got "Mars/Olympus"',
      },
      { path: 'email.to[0]', message: expect.stringContaining('got "not-an-email"') },
    ]);
  });

  it('requires at least one recipient, and a webhook or a channel', () => {
    const error = configError({ organizationId: 'org_acme', email: { to: [] }, slack: { webhooks: [] } });
    expect(error.issues).toEqual([
      { path: 'email.to', message: 'expected at least 1 item' },
      { path: 'slack.webhooks', message: 'expected at least one webhook or channel' },
    ]);
  });

  it('takes Slack channel ids for the Web API, and refuses a channel name', () => {
    expect(
      parseTenantConfig({ organizationId: 'o', slack: { channels: [{ id: 'C024BE91L' }] } }).slack,
    ).toMatchObject({
      webhooks: [],
      channels: [{ id: 'C024BE91L' }],
    });
    expect(configError({ organizationId: 'o', slack: { channels: [{ id: '#general' }] } }).issues).toEqual([
      {
        path: 'slack.channels[0].id',
        message: 'expected a Slack channel id such as C024BE91L, got "#general"',
      },
    ]);
  });

  describe('never echoes a webhook URL', () => {
    const shapes = {
      'a URL that is not http(s)': { webhooks: [{ url: secretUrl.replace('https', 'ftp') }] },
      'a URL without a scheme': { webhooks: [{ url: secretUrl.replace('https://', '') }] },
      'strings instead of objects': { webhooks: [secretUrl] },
      'a string instead of a list': { webhooks: secretUrl },
      'a string instead of the slack object': secretUrl,
    };
    for (const [name, slack] of Object.entries(shapes)) {
      it(`for ${name}`, () => {
        const error = configError({ organizationId: 'org_acme', slack });
        expect(error.issues[0]?.path).toMatch(/^slack/);
        expect(error.message).not.toContain(secretPart);
        expect(JSON.stringify(error.issues)).not.toContain(secretPart);
        expect(error.cause).toBeUndefined();
      });
    }

    it('and says what it expects instead', () => {
      const error = configError({
        organizationId: 'org_acme',
        slack: { webhooks: [{ url: 'hooks.slack.com/x' }] },
      });
      expect(error.message).toBe(
        'Invalid tenant config: slack.webhooks[0].url: expected an http(s) URL such as https://hooks.slack.com/services/…',
      );
    });
  });
});

describe('createStaticDirectory()', () => {
  it('answers get() with the validated config, and undefined for an unknown organization', async () => {
    const directory = createStaticDirectory([
      { organizationId: 'org_acme', locale: 'pt-BR', timeZone: 'America/Sao_Paulo' },
    ]);
    expect(await directory.get('org_acme')).toMatchObject({ locale: 'pt-BR', timeZone: 'America/Sao_Paulo' });
    expect(await directory.get('org_other')).toBeUndefined();
  });

  it('validates every config up front', () => {
    expect(() => createStaticDirectory([{ organizationId: '' }])).toThrow(ConfigError);
  });

  it('rejects two configs for one organization', () => {
    expect(() =>
      createStaticDirectory([{ organizationId: 'org_acme' }, { organizationId: 'org_acme' }]),
    ).toThrow('Duplicate tenant config for organization "org_acme"');
  });
});
