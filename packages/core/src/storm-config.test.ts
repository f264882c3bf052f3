import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors.js';
import { stormDefaults, stormSettings } from './storm-config.js';
import { parseTenantConfig, type TenantConfigInput } from './tenant.js';

const base = {
  organizationId: 'org_acme',
  email: { to: ['ops@acme.com'] },
  slack: {
    webhooks: [{ url: 'https://hooks.slack.com/services/T000/B001/XXXXXXXXa1b2' }],
    channels: [{ id: 'C024BE91L' }],
  },
} satisfies TenantConfigInput;

const withStorm = (email: unknown, slack: unknown) =>
  parseTenantConfig({
    ...base,
    email: { ...base.email, ...(email !== undefined && { storm: email }) },
    slack: { ...base.slack, ...(slack !== undefined && { storm: slack }) },
  });

function issuesOf(slackStorm: unknown) {
  try {
    withStorm(undefined, slackStorm);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues;
  }
  throw new Error('expected a ConfigError');
}

describe('storm config', () => {
  describe('parseTenantConfig()', () => {
    it('accepts false, an empty object and every field, and keeps what was given', () => {
      const tenant = withStorm(false, {
        threshold: 25,
        windowMs: 30_000,
        intervalMs: 300_000,
        bypassSeverity: 'high',
      });
      expect(tenant.email?.storm).toBe(false);
      expect(tenant.slack?.storm).toEqual({
        threshold: 25,
        windowMs: 30_000,
        intervalMs: 300_000,
        bypassSeverity: 'high',
      });
      expect(withStorm({}, {}).slack?.storm).toEqual({});
    });

    it('accepts the bounds: threshold 1, and 1 s and 24 h for the times', () => {
      expect(() =>
        withStorm({ threshold: 1, windowMs: 1000, intervalMs: 86_400_000 }, undefined),
      ).not.toThrow();
    });

    it.each([
      ['threshold', 0, 'slack.storm.threshold: expected an integer from 1 to 100000, got 0'],
      ['threshold', 2.5, 'slack.storm.threshold: expected an integer from 1 to 100000, got 2.5'],
      ['threshold', '10', 'slack.storm.threshold: expected an integer from 1 to 100000, got "10"'],
      [
        'windowMs',
        999,
        'slack.storm.windowMs: expected an integer of milliseconds (1 s to 24 h) from 1000 to 86400000, got 999',
      ],
      [
        'windowMs',
        86_400_001,
        'slack.storm.windowMs: expected an integer of milliseconds (1 s to 24 h) from 1000 to 86400000, got 86400001',
      ],
      [
        'intervalMs',
        Number.NaN,
        'slack.storm.intervalMs: expected an integer of milliseconds (1 s to 24 h) from 1000 to 86400000, got NaN',
      ],
      [
        'bypassSeverity',
        'urgent',
        'slack.storm.bypassSeverity: expected one of critical, high, medium, low, got "urgent"',
      ],
    ])('names %s when it is %s', (field, value, expected) => {
      const issues = issuesOf({ [field]: value });
      expect(issues.map((i) => `${i.path}: ${i.message}`)).toEqual([expected]);
    });

    it('names every bad field at once', () => {
      const issues = issuesOf({ threshold: -1, windowMs: 10, intervalMs: 'soon', bypassSeverity: 3 });
      expect(issues.map((i) => i.path)).toEqual([
        'slack.storm.threshold',
        'slack.storm.windowMs',
        'slack.storm.intervalMs',
        'slack.storm.bypassSeverity',
      ]);
    });

    it.each([true, null, 'off', 10])('refuses %s for storm itself, saying what it takes', (value) => {
      const issues = issuesOf(value);
      expect(issues).toHaveLength(1);
      expect(issues[0]?.path).toBe('slack.storm');
      expect(issues[0]?.message).toMatch(
        /^expected false or \{ threshold\?, windowMs\?, intervalMs\?, bypassSeverity\? \}/,
      );
    });

    it('names the email field too', () => {
      expect(() => withStorm({ threshold: 0 }, undefined)).toThrow(
        /email\.storm\.threshold: expected an integer/,
      );
    });
  });

  describe('stormSettings()', () => {
    it('is on with the defaults when storm is absent', () => {
      const tenant = parseTenantConfig(base);
      expect(stormDefaults).toEqual({
        threshold: 10,
        windowMs: 60_000,
        intervalMs: 60_000,
        bypassSeverity: 'critical',
      });
      for (const route of ['email', 'slack', 'slackApi'] as const) {
        expect(stormSettings(tenant, route)).toEqual(stormDefaults);
      }
    });

    it('fills in the fields left out', () => {
      const tenant = withStorm({ intervalMs: 120_000 }, { threshold: 3, bypassSeverity: 'high' });
      expect(stormSettings(tenant, 'email')).toEqual({ ...stormDefaults, intervalMs: 120_000 });
      expect(stormSettings(tenant, 'slack')).toEqual({
        ...stormDefaults,
        threshold: 3,
        bypassSeverity: 'high',
      });
    });

    it('reads email.storm for email and slack.storm for webhooks and Web API channels', () => {
      const emailOff = withStorm(false, undefined);
      expect(stormSettings(emailOff, 'email')).toBe(false);
      expect(stormSettings(emailOff, 'slack')).toEqual(stormDefaults);
      expect(stormSettings(emailOff, 'slackApi')).toEqual(stormDefaults);

      const slackOff = withStorm(undefined, false);
      expect(stormSettings(slackOff, 'email')).toEqual(stormDefaults);
      expect(stormSettings(slackOff, 'slack')).toBe(false);
      expect(stormSettings(slackOff, 'slackApi')).toBe(false);
    });

    it('applies the defaults to a tenant without that channel', () => {
      const tenant = parseTenantConfig({ organizationId: 'org_acme', email: { to: ['ops@acme.com'] } });
      expect(stormSettings(tenant, 'slack')).toEqual(stormDefaults);
    });
  });
});
