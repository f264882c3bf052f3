import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors.js';
import { checkTenantConfig, createStaticDirectory, parseTenantConfig } from './tenant.js';

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
      // Addresses are personal data: named by path, never echoed.
      { path: 'email.to[0]', message: 'Invalid email address' },
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

describe('parseTenantConfig() refuses what a channel or template would refuse later', () => {
  const base = { organizationId: 'org_acme' };
  const slack = (extra: Record<string, unknown>) => ({
    ...base,
    slack: { webhooks: [{ url: secretUrl }], ...extra },
  });
  const issues = (input: unknown) => configError(input).issues;

  it('refuses a mention id that is not a Slack user or group id, naming the field', () => {
    expect(
      issues(slack({ mentionOnEscalation: ['U024BE7LH', 'oncall-team', '<!channel>', 'u024be7lh'] })),
    ).toEqual([
      {
        path: 'slack.mentionOnEscalation[1]',
        message: 'expected a Slack user id (U…, W…) or user group id (S…), got "oncall-team"',
      },
      {
        path: 'slack.mentionOnEscalation[2]',
        message: 'expected a Slack user id (U…, W…) or user group id (S…), got "<!channel>"',
      },
      {
        path: 'slack.mentionOnEscalation[3]',
        message: 'expected a Slack user id (U…, W…) or user group id (S…), got "u024be7lh"',
      },
    ]);
    expect(
      parseTenantConfig(slack({ mentionOnEscalation: ['U024BE7LH', 'W0ABC', 'SAZ94GDB8'] })).slack
        ?.mentionOnEscalation,
    ).toEqual(['U024BE7LH', 'W0ABC', 'SAZ94GDB8']);
    expect(parseTenantConfig(slack({ mentionOnEscalation: true })).slack?.mentionOnEscalation).toBe(true);
  });

  it('refuses a recipient name with CR or LF, without echoing the address', () => {
    const error = configError({
      ...base,
      email: {
        to: [{ email: 'ops@acme.com', name: 'Ops\r\nBcc: evil@x.com' }],
        replyTo: { email: 'help@acme.com', name: 'Help\n' },
      },
    });
    expect(error.issues).toEqual([
      { path: 'email.to[0].name', message: 'must not contain CR or LF' },
      { path: 'email.replyTo.name', message: 'must not contain CR or LF' },
    ]);
    expect(error.message).not.toContain('acme.com');
  });

  it('refuses what is not an email address the way the email channel checks it', () => {
    const error = configError({ ...base, email: { to: ['ops@acme'], cc: ['a b@acme.com'], bcc: ['x'] } });
    expect(error.issues.map((i) => i.path)).toEqual(['email.to[0]', 'email.cc[0]', 'email.bcc[0]']);
    expect(error.message).not.toContain('ops@acme');
  });

  it('refuses a webhook URL the webhook channel would refuse, without quoting it', () => {
    const cases: [string, string][] = [
      [`https://user:pw@hooks.slack.com/services/T0/B0/${secretPart}`, 'must not contain credentials'],
      [
        `http://hooks.slack.com/services/T0/B0/${secretPart}`,
        'plain http is only allowed for a loopback host',
      ],
      [`https://hooks.slack.com:8443/services/T0/B0/${secretPart}`, 'port 443'],
      [`https://hooks.slack.com/services/${secretPart.repeat(40)}`, 'at most 512 characters'],
      [`ftp://hooks.slack.com/services/${secretPart}`, 'expected an http(s) URL'],
    ];
    for (const [url, expected] of cases) {
      const error = configError(slack({ webhooks: [{ url }] }));
      expect(error.issues).toEqual([
        { path: 'slack.webhooks[0].url', message: expect.stringContaining(expected) },
      ]);
      expect(error.message).not.toContain(secretPart);
    }
    // Loopback http is what tests and the preview use; any https host may be in allowedHosts.
    for (const url of [
      'http://127.0.0.1:8080/hooks/x',
      'http://localhost:9/x',
      'http://[::1]:9/x',
      'https://hooks.slack.com:443/services/T0/B0/x',
      'https://hooks.example.com/x',
    ]) {
      expect(() => parseTenantConfig(slack({ webhooks: [{ url }] }))).not.toThrow();
    }
  });

  it('refuses webhook and channel names with CR or LF, and bad channel ids', () => {
    expect(
      issues({
        ...base,
        slack: { webhooks: [{ url: secretUrl, name: '#a\nb' }], channels: [{ id: 'general', name: 'x\r' }] },
      }),
    ).toEqual([
      { path: 'slack.webhooks[0].name', message: 'must not contain CR or LF, got "#a\\nb"' },
      {
        path: 'slack.channels[0].id',
        message: 'expected a Slack channel id such as C024BE91L, got "general"',
      },
      { path: 'slack.channels[0].name', message: 'must not contain CR or LF, got "x\\r"' },
    ]);
  });

  it('refuses a dashboard URL that is not absolute http(s)', () => {
    for (const dashboardUrl of ['javascript:alert(1)', '/alerts', 'http:app', 'https://exa mple.com']) {
      expect(issues({ ...base, dashboardUrl }).map((i) => i.path)).toEqual(['dashboardUrl']);
    }
  });
});

describe('checkTenantConfig()', () => {
  it('takes a parsed config as it is', () => {
    const config = parseTenantConfig({ organizationId: 'org_acme', email: { to: ['ops@acme.com'] } });
    expect(checkTenantConfig(config)).toBe(config);
  });

  it('validates a row once per object and applies defaults', () => {
    const row = { organizationId: 'org_acme', slack: { webhooks: [{ url: secretUrl }] } };
    const config = checkTenantConfig(row);
    expect(config).toMatchObject({ locale: 'en', slack: { enabled: true, channels: [] } });
    expect(checkTenantConfig(row)).toBe(config);
  });

  it('throws a ConfigError naming the field for a bad row, every time', () => {
    for (const row of [
      { organizationId: 'org_acme', email: { to: 'ops@acme.com' } },
      { organizationId: 'org_acme', slack: { webhooks: secretUrl } },
      { organizationId: 'org_acme', email: null },
      null,
      'org_acme',
    ]) {
      for (let i = 0; i < 2; i++) {
        const error = (() => {
          try {
            checkTenantConfig(row);
          } catch (caught) {
            return caught;
          }
        })();
        expect(error).toBeInstanceOf(ConfigError);
        expect(String(error)).not.toContain(secretPart);
        expect(String(error)).not.toContain('ops@acme.com');
      }
    }
  });
});
