import type { DeliveryCounts, OrganizationHealth } from './api-types.js';

const minuteMs = 60_000;
const hourMinutes = 60;
const dayMinutes = 24 * 60;

export interface DeliveryHealth {
  add(organizationId: string, outcome: keyof DeliveryCounts, at: Date): void;
  snapshot(organizationIds: readonly string[] | undefined): OrganizationHealth[];
}

const zero = (): DeliveryCounts => ({ delivered: 0, failed: 0, dead: 0 });

/**
 * Delivery counts per organization in one-minute buckets over the last day: at most 1,440 small
 * objects per organization, whatever the traffic, and none for an organization quiet for a day.
 */
export function createDeliveryHealth(now: () => Date): DeliveryHealth {
  const organizations = new Map<string, Map<number, DeliveryCounts>>();

  const prune = (organizationId: string, buckets: Map<number, DeliveryCounts>, current: number) => {
    for (const minute of buckets.keys()) {
      if (minute > current - dayMinutes) break; // buckets are added in time order
      buckets.delete(minute);
    }
    if (buckets.size === 0) organizations.delete(organizationId);
  };

  return {
    add(organizationId, outcome, at) {
      const current = Math.floor(now().getTime() / minuteMs);
      // A record stamped in the future (another machine's clock) counts now, and keeps buckets in order.
      const minute = Math.min(Math.floor(at.getTime() / minuteMs), current);
      if (minute <= current - dayMinutes) return;
      let buckets = organizations.get(organizationId);
      if (!buckets) {
        buckets = new Map();
        organizations.set(organizationId, buckets);
      }
      let counts = buckets.get(minute);
      if (!counts) {
        counts = zero();
        const last = [...buckets.keys()].at(-1);
        buckets.set(minute, counts);
        // Rare: a record older than the newest bucket. Re-sort so that pruning can stop early.
        if (last !== undefined && last > minute) {
          const sorted = [...buckets.entries()].sort(([a], [b]) => a - b);
          buckets.clear();
          for (const [key, value] of sorted) buckets.set(key, value);
        }
      }
      counts[outcome]++;
      prune(organizationId, buckets, current);
    },
    snapshot(organizationIds) {
      const current = Math.floor(now().getTime() / minuteMs);
      const ids = organizationIds ?? [...organizations.keys()];
      return ids.flatMap((organizationId) => {
        const buckets = organizations.get(organizationId);
        if (!buckets) return [];
        prune(organizationId, buckets, current);
        const lastHour = zero();
        const lastDay = zero();
        for (const [minute, counts] of buckets) {
          for (const key of ['delivered', 'failed', 'dead'] as const) {
            lastDay[key] += counts[key];
            if (minute > current - hourMinutes) lastHour[key] += counts[key];
          }
        }
        return [{ organizationId, lastHour, lastDay }];
      });
    },
  };
}
