import { describe, expect, it } from 'vitest';
import type { ConfigError } from './errors.js';
import { type AlertEventInput, parseAlertEvent } from './events.js';
import { deliveryKey, planTargets, resolveTarget } from './plan-targets.js';
import { parseTenantConfig, type TenantConfigInput } from './tenant.js';

const hook = (n: number) => `https://hooks.slack.com/services/T0ACME/B0HOOK${n}/secret${n}`;
const event = parseAlertEvent({
  type: 'alert.created',
  alert: {
    id: 'alr_1',
    organizationId: 'org_acme',
    title: 'Disk full',
    severity: 'high',
    category: 'system',
    createdAt: '2026-01-31T14:30:00Z',
  },
  occurredAt: '2026-01-31T14:30:05Z',
} as AlertEventInput);

const tenant = (webhooks: NonNullable<TenantConfigInput['slack']>['webhooks'], to = ['ops@acme.com']) =>
  parseTenantConfig({
    organizationId: 'org_acme',
    email: { to },
    slack: { webhooks, channels: [{ id: 'C024BE91L', name: 'alerts' }] },
  });

const issuesOf = (input: unknown) => {
  try {
    parseTenantConfig(input);
  } catch (error) {
    return (error as ConfigError).issues?.map((i) => `${i.path}: ${i.message}`);
  }
  return [];
};

describe('target identity', () => {
  it('is the webhook id, else its name, else a digest of its URL; email is one target; a channel is its id', () => {
    const planned = planTargets(
      event,
      tenant([
        { id: 'ops-hook', url: hook(1), name: 'Ops' },
        { url: hook(2), name: 'Oncall' },
        { url: hook(3) },
      ]),
    );
    expect(planned.map((t) => [t.route, t.targetId])).toEqual([
      ['email', 'email'],
      ['slack', 'ops-hook'],
      ['slack', 'Oncall'],
      ['slack', expect.stringMatching(/^[0-9a-f]{16}$/)],
      ['slackApi', 'C024BE91L'],
    ]);
  });

  it('survives a rotated webhook URL and a changed recipient list, so the idempotency key stays', () => {
    const before = planTargets(event, tenant([{ url: hook(1), name: 'Ops' }], ['ops@acme.com']));
    const after = planTargets(
      event,
      tenant([{ url: hook(9), name: 'Ops' }], ['dev@acme.com', 'cto@acme.com']),
    );
    expect(after.map((t) => deliveryKey(event, t))).toEqual(before.map((t) => deliveryKey(event, t)));
    // The address is the current one, and so is what a rate limit is keyed by.
    expect(after[1]).toMatchObject({ address: { webhookUrl: hook(9) } });
    expect(after[1]!.destination).not.toBe(before[1]!.destination);
  });

  it('refuses two webhooks of one organization with one identity, naming the field and never the URL', () => {
    const base = { organizationId: 'org_acme' };
    expect(
      issuesOf({
        ...base,
        slack: {
          webhooks: [
            { url: hook(1), name: 'Ops' },
            { url: hook(2), name: 'Ops' },
          ],
        },
      }),
    ).toEqual([
      'slack.webhooks[1].name: the same name as webhooks[0]: each webhook of an organization needs a unique id or name, got "Ops"',
    ]);
    expect(
      issuesOf({
        ...base,
        slack: {
          webhooks: [
            { url: hook(1), id: 'a' },
            { url: hook(2), id: 'a' },
          ],
        },
      }),
    ).toEqual([
      'slack.webhooks[1].id: the same id as webhooks[0]: each webhook of an organization needs a unique id or name, got "a"',
    ]);
    const sameUrl = issuesOf({ ...base, slack: { webhooks: [{ url: hook(1) }, { url: hook(1) }] } });
    expect(sameUrl).toEqual([
      'slack.webhooks[1].url: the same URL as webhooks[0]: each webhook of an organization needs a unique id or name',
    ]);
    expect(issuesOf({ ...base, slack: { webhooks: [{ url: hook(1), id: 'has space' }] } })).toEqual([
      'slack.webhooks[0].id: expected 1 to 64 letters, digits, ".", "_" or "-", got "has space"',
    ]);
    // Same name, different ids: the ids are the identities.
    expect(
      issuesOf({
        ...base,
        slack: {
          webhooks: [
            { url: hook(1), name: 'Ops', id: 'a' },
            { url: hook(2), name: 'Ops', id: 'b' },
          ],
        },
      }),
    ).toEqual([]);
  });
});

describe('planTargets()', () => {
  it('without routes plans every target the tenant has, whichever process plans', () => {
    const planned = planTargets(event, tenant([{ url: hook(1), name: 'Ops' }]));
    expect(planned.map((t) => t.skip)).toEqual([undefined, undefined, undefined]);
    const withEmailOnly = planTargets(event, tenant([{ url: hook(1), name: 'Ops' }]), {
      email: {
        channel: { kind: 'email', send: async () => ({ attempts: 1, durationMs: 0 }) },
        render: () => ({ subject: '', html: '' }),
      },
    });
    expect(withEmailOnly.map((t) => t.skip)).toEqual([undefined, 'no_route', 'no_route']);
  });
});

describe('resolveTarget()', () => {
  it('finds the one target a job names, as planTargets() plans it, or undefined once it is gone', () => {
    const config = tenant([
      { url: hook(1), name: 'Ops' },
      { url: hook(2), id: 'b' },
    ]);
    const planned = planTargets(event, config);
    for (const target of planned)
      expect(resolveTarget(event, config, target.route, target.targetId)).toEqual(target);
    expect(resolveTarget(event, config, 'slack', 'gone')).toBeUndefined();
    expect(resolveTarget(event, config, 'slackApi', 'C999')).toBeUndefined();
    expect(resolveTarget(event, config, 'email', 'other')).toBeUndefined();
  });
});
