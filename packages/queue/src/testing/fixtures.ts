import type { AlertEventInput, TenantConfigInput } from '@pytake/notify-core';

/** The n-th test event: a distinct alert per n. */
export function alertEvent(n: number, organizationId = 'org-1'): AlertEventInput {
  return {
    type: 'alert.created',
    occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, 0) + n * 1000).toISOString(),
    alert: {
      id: `alert-${n}`,
      organizationId,
      title: `Queue depth high #${n}`,
      severity: 'high',
      category: 'infra',
      status: 'open',
      createdAt: '2026-01-01T00:00:00Z',
    },
  };
}

/** A webhook path with a secret-looking tail, as Slack's are: never to be found in Redis. */
export const webhookPath = (i: number) => `/services/T0000/B000${i}/s3cr3tW3bh00kT0k3n${i}`;

/** One organization with `webhooks` webhooks on the receiver, plus email recipients (no email route). */
export function tenant(base: string, webhooks: number, organizationId = 'org-1'): TenantConfigInput {
  return {
    organizationId,
    email: { to: ['oncall.person@acme-secret.example'] },
    slack: {
      webhooks: Array.from({ length: webhooks }, (_, i) => ({
        url: `${base}${webhookPath(i)}`,
        name: `hook ${i}`,
      })),
    },
  } as TenantConfigInput;
}

export const render = (event: { alert: { title: string } }) => ({ text: event.alert.title });

/**
 * How many times slower than a quiet machine the suite tolerates. CI shares two cores with other
 * suites and builds (load averages of 10 to 20 were seen, with worker processes starting and
 * Redis answering many times slower), and every wait in these tests is a ceiling, never a target:
 * a passing test returns as soon as its condition holds, so a high ceiling costs nothing.
 */
export const loadFactor = 5;

/** A ceiling for a test or a wait that takes about `quietMs` on a quiet machine. */
export const ceiling = (quietMs: number): number => quietMs * loadFactor;

/**
 * Bounded polling: calls `check` every `everyMs` until it is true, at most `ceiling(timeoutMs)`
 * (`timeoutMs` being a generous time for a quiet machine).
 */
export async function until(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  everyMs = 50,
): Promise<boolean> {
  const deadline = Date.now() + ceiling(timeoutMs);
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return check();
}
