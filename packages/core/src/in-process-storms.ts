import type { AlertDigest } from './alert-digest.js';
import type { AlertEvent } from './events.js';
import type { PlannedTarget } from './plan-targets.js';
import type { Routes } from './routes.js';
import { stormSettings } from './storm-config.js';
import { createStormTracker, type StormDecision, type StormDigest } from './storm-tracker.js';
import type { TenantConfig } from './tenant.js';

/** Where a held digest goes: its target and the tenant's config as of the latest event folded. */
interface HeldTarget {
  target: PlannedTarget;
  tenant: TenantConfig;
}

export interface InProcessStorms {
  /** Says whether `event` goes alone to `target` or is held for a digest (then sent later by itself). */
  decide(event: AlertEvent, target: PlannedTarget, tenant: TenantConfig): StormDecision;
  /** Sends every held digest now and stops holding: later events go alone. */
  close(): Promise<void>;
}

/**
 * Storm control for `notify()`: the storm tracker's rules on this process's clock, with a timer that
 * sends each digest when its interval ends. Windows and held events live in this process only: each
 * replica detects its own storms, and what is held is lost if the process dies (`close()` sends it).
 * A route without `renderDigest` never folds.
 */
export function createInProcessStorms(
  routes: Routes<unknown>,
  send: (digest: AlertDigest, folded: readonly AlertEvent[], held: HeldTarget) => Promise<void>,
): InProcessStorms {
  const tracker = createStormTracker();
  const held = new Map<string, HeldTarget>();
  const sending = new Set<Promise<void>>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timerAt: number | undefined;
  let closed = false;

  function sendOne(digest: StormDigest, now: number) {
    const to = held.get(digest.digestId);
    held.delete(digest.digestId);
    const first = digest.events[0];
    if (!to || !first) return;
    const promise = send(
      {
        id: digest.digestId,
        organizationId: first.alert.organizationId,
        events: digest.events,
        startedAt: new Date(digest.startedAt),
        endedAt: new Date(Math.min(digest.dueAt, now)),
      },
      digest.folded,
      to,
    )
      // The records report a failed send; nothing else may escape a timer.
      .catch(() => {})
      .finally(() => sending.delete(promise));
    sending.add(promise);
  }

  function schedule() {
    const at = closed ? undefined : tracker.nextDueAt();
    if (at === timerAt && timer) {
      if (held.size > 0) timer.ref?.();
      return;
    }
    clearTimeout(timer);
    timer = undefined;
    timerAt = at;
    if (at === undefined) return;
    timer = setTimeout(fire, Math.max(0, at - Date.now()));
    // Held events keep the process alive until their digest is sent; a storm that only waits to
    // end does not.
    if (held.size === 0) timer.unref?.();
  }

  function fire() {
    timer = undefined;
    timerAt = undefined;
    const now = Date.now();
    for (const digest of tracker.due(now)) sendOne(digest, now);
    schedule();
  }

  return {
    decide(event, target, tenant) {
      if (closed || !routes[target.route]?.renderDigest) return { kind: 'alone' };
      const key = `${event.alert.organizationId}\u0000${target.route}\u0000${target.targetId}`;
      const settings = stormSettings(tenant, target.route);
      const decision = tracker.decide(key, settings, event);
      if (decision.kind === 'fold') {
        held.set(decision.digestId, { target, tenant });
        schedule();
      } else if (!timer && settings !== false) {
        // A sweep: `due()` forgets the targets that went quiet, and ends a storm whose events all
        // went alone (bypassed), so memory follows the targets busy now.
        timer = setTimeout(fire, settings.windowMs);
        timer.unref?.();
      }
      return decision;
    },

    async close() {
      closed = true;
      schedule();
      const now = Date.now();
      for (const digest of tracker.flushAll()) sendOne(digest, now);
      await Promise.all(sending);
    },
  };
}
