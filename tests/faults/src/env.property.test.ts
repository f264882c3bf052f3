// Property tests over the environment loaders: loadSmtpConfig, loadSlackConfig, envBoolean and
// parseEnvBoolean. Environment variables are outside data: whatever a deploy sets.
import { envBoolean, isNotifyError, parseEnvBoolean } from '@pytake/notify-core';
import { loadSmtpConfig } from '@pytake/notify-email';
import { loadSlackConfig } from '@pytake/notify-slack';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { attackerText } from './testing/arbitraries.js';
import { checkProperty, generatedInputs, typedOnly } from './testing/property.js';

afterAll(() => console.log(`env: ${generatedInputs()} generated inputs in all`));

/** Names that are properties of every object: a lookup table must not answer them. */
const PROTOTYPE_NAMES = [
  '__proto__',
  'constructor',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'prototype',
  '__defineGetter__',
];
const BOOLEAN_WORDS = ['true', 'false', '1', '0', 'yes', 'no', 'TRUE', ' Yes ', 'on', 'off', 'y', ''];
const envText = fc.oneof(
  fc.constantFrom(...PROTOTYPE_NAMES, ...BOOLEAN_WORDS),
  fc.constantFrom(
    '0.0001',
    '0.0004',
    '0.001',
    '1e3',
    ' 5 ',
    '-1',
    'NaN',
    'Infinity',
    '65536',
    '0',
    '25',
    '587',
    '00010',
    '600',
    '600.0001',
  ),
  fc.string({ maxLength: 12 }),
  attackerText,
);

describe('parseEnvBoolean and envBoolean', () => {
  it('answer a boolean or undefined (parseEnvBoolean) and a boolean or an issue (envBoolean)', () => {
    const schema = envBoolean(false);
    checkProperty(
      'parseEnvBoolean/envBoolean: booleans only',
      fc.oneof(envText, fc.string({ unit: 'binary', maxLength: 12 })),
      (value) => {
        const parsed = parseEnvBoolean(value);
        expect([true, false, undefined]).toContain(parsed);
        const result = schema.safeParse(value);
        if (result.success) expect(typeof result.data).toBe('boolean');
      },
      { numRuns: 20_000 },
    );
  });
});

const SMTP_PASSWORD = 'pw-Zr7!never-echo';
/** Mostly what a deploy sets, sometimes anything: so that both acceptance and refusal are exercised. */
const mostly = (valid: fc.Arbitrary<string | undefined>) =>
  fc.oneof({ weight: 5, arbitrary: valid }, { weight: 1, arbitrary: fc.option(envText, { nil: undefined }) });
const smtpEnv = fc
  .record({
    SMTP_HOST: mostly(fc.constantFrom('127.0.0.1', 'smtp.example.com', undefined)),
    SMTP_PORT: mostly(fc.constantFrom('587', '25', '465', ' 2525 ', undefined)),
    credentials: fc.constantFrom(undefined, SMTP_PASSWORD, `${SMTP_PASSWORD}\r\n`),
    SMTP_FROM_EMAIL: mostly(fc.constantFrom('alerts@pytake.example', undefined)),
    SMTP_FROM_NAME: fc.option(attackerText, { nil: undefined }),
    tls: fc.constantFrom(
      ['true', 'false'],
      ['false', 'true'],
      ['false', 'false'],
      [undefined, undefined],
      ['yes', '0'],
    ),
    SMTP_TIMEOUT_SECONDS: mostly(
      fc.oneof(
        fc.constantFrom('0.0001', '0.0004', '0.0005', '0.001', '10', '0.5', '600', undefined),
        fc.integer({ min: 1, max: 9_999 }).map((n) => `0.${String(n).padStart(4, '0')}`),
      ),
    ),
    SMTP_TLS_REJECT_UNAUTHORIZED: mostly(fc.constantFrom('true', 'false', undefined)),
    EMAIL_ENABLED: mostly(fc.constantFrom('true', 'false', undefined)),
  })
  .map(
    ({ credentials, tls, ...env }) =>
      ({
        ...env,
        SMTP_USER: credentials === undefined ? undefined : 'mailer',
        SMTP_PASSWORD: credentials,
        SMTP_USE_TLS: tls[0],
        SMTP_USE_SSL: tls[1],
      }) as Record<string, string | undefined>,
  );

describe('loadSmtpConfig', () => {
  it('throws only typed errors that never echo the password, and accepts only usable values', () => {
    checkProperty(
      'loadSmtpConfig',
      smtpEnv,
      (env) => {
        let config: ReturnType<typeof loadSmtpConfig>;
        try {
          config = loadSmtpConfig(env);
        } catch (error) {
          if (!isNotifyError(error)) throw new Error(`threw a raw ${String(error)}`, { cause: error });
          expect(
            JSON.stringify({ m: error.message, i: (error as { issues?: unknown }).issues }),
          ).not.toContain('Zr7!');
          return;
        }
        expect(Number.isInteger(config.port) && config.port >= 1 && config.port <= 65_535).toBe(true);
        for (const text of [config.user, config.password, config.fromName, config.fromEmail])
          expect(text ?? '').not.toMatch(/[\r\n]/);
        // nodemailer reads a timeout of 0 ms as "use my default" (minutes): the channel rounds to ms.
        expect(
          Math.round(config.timeoutSeconds * 1000),
          `SMTP_TIMEOUT_SECONDS=${env.SMTP_TIMEOUT_SECONDS}`,
        ).toBeGreaterThanOrEqual(1);
      },
      { numRuns: 3_000 },
    );
  });
});

const SLACK_WEBHOOK = 'https://hooks.slack.com/services/T0/B0/zz-secret-hook';
const slackEnv = fc
  .record({
    SLACK_WEBHOOK_URL: fc.option(
      fc.constantFrom(
        SLACK_WEBHOOK,
        `${SLACK_WEBHOOK} x`,
        'http://hooks.slack.com/services/zz-secret-hook',
        'zz-secret-hook',
      ),
      { nil: undefined },
    ),
    SLACK_ENABLED: mostly(fc.constantFrom('true', 'false', 'constructor', undefined)),
    SLACK_TIMEOUT_SECONDS: mostly(fc.constantFrom('10', '0.1', '0.5', '300', undefined)),
    SLACK_RETRY_COUNT: mostly(fc.constantFrom('0', '3', '10', undefined)),
    SLACK_MENTION_ON_ESCALATION: mostly(
      fc.constantFrom(
        'U024BE7LH,S0123ABC',
        'U024BE7LH, W1',
        'oncall-team',
        'U024BE7LH,,',
        'true',
        '__proto__',
        undefined,
      ),
    ),
    SLACK_THREAD_REPLIES: mostly(fc.constantFrom('true', 'false', undefined)),
    SLACK_BOT_TOKEN: fc.option(
      fc.constantFrom('xoxb-zz-secret-token', 'zz-secret-token', 'xoxb- zz-secret'),
      { nil: undefined },
    ),
    SLACK_SIGNING_SECRET: fc.option(fc.constantFrom('zz-secret-signing', 'zz secret', 'zz'), {
      nil: undefined,
    }),
  })
  .map((env) => env as Record<string, string | undefined>);

describe('loadSlackConfig', () => {
  it('throws only typed errors that never echo a secret, and accepts only usable values', () => {
    checkProperty(
      'loadSlackConfig',
      slackEnv,
      (env) => {
        const result = typedOnly(() => loadSlackConfig(env), isNotifyError);
        if (!result.ok) {
          try {
            loadSlackConfig(env);
          } catch (error) {
            const said = JSON.stringify({
              m: (error as Error).message,
              i: (error as { issues?: unknown }).issues,
            });
            expect(said).not.toContain('zz-secret');
            expect(said).not.toContain('zz secret');
          }
          return;
        }
        const config = result.value;
        expect(config.timeoutSeconds).toBeGreaterThan(0);
        expect(Number.isInteger(config.retryCount) && config.retryCount >= 0).toBe(true);
        const mention = config.mentionOnEscalation;
        if (Array.isArray(mention)) for (const id of mention) expect(id).toMatch(/^[UWS][A-Z0-9]{2,}$/);
        else expect(typeof mention).toBe('boolean');
      },
      { numRuns: 3_000 },
    );
  });
});
