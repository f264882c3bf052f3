import { atLeastSeverity } from './alert.js';
import type { AlertEvent } from './events.js';
import type { StormSettings } from './storm-config.js';
import { digestOf } from './target-id.js';

/**
 * What to do with one event for one target: send it `alone` now, or `fold` it into the digest
 * `digestId`, which `due()` hands out once `dueAt` has passed. `firstReportedInDigest` names the
 * digest that first reported the alert, when a severe event of it goes alone during a storm, so that
 * the message can point readers to it.
 */
export type StormDecision =
  | { kind: 'alone'; firstReportedInDigest?: never }
  | { kind: 'alone'; firstReportedInDigest: string }
  | { kind: 'fold'; digestId: string; dueAt: number };

/** The events of one target folded during one interval of its storm, in the order they first came. */
export interface StormDigest {
  target: string;
  digestId: string;
  /** The latest event of each alert folded, in the order the alerts first came. */
  events: AlertEvent[];
  /** Every event folded, in the order they came: each gets a record of the digest's outcome. */
  folded: AlertEvent[];
  /** When the digest's interval began, in ms since the epoch. */
  startedAt: number;
  /** When its interval ends (or ended): when `due()` hands it out. */
  dueAt: number;
}

/** Options of `createStormTracker`. */
export interface StormTrackerOptions {
  /** The clock, in ms since the epoch. @default Date.now */
  now?: () => number;
}

/**
 * Decides, per target, whether an event goes alone or into a storm's digest; made by `createStormTracker`.
 */
export interface StormTracker {
  /**
   * Records `event` for `target` (a key the caller builds from the route and the target id) and
   * says whether it goes alone or into a digest. With `settings === false` every event goes alone
   * and nothing is recorded.
   */
  decide(target: string, settings: StormSettings | false, event: AlertEvent): StormDecision;
  /** Removes and returns the digests whose interval has ended by `now`, and ends quiet storms. */
  due(now?: number): StormDigest[];
  /** When `due()` next has work to do (a digest to hand out or a storm to end), or undefined. */
  nextDueAt(): number | undefined;
  /** Removes and returns every digest held, due or not, and forgets everything (for a graceful close). */
  flushAll(): StormDigest[];
}

interface Storm {
  /** Fixed when the storm begins, so that its intervals stay aligned to its start. */
  intervalMs: number;
  threshold: number;
  intervalStart: number;
  /** Every event of the current interval, alone or folded: what decides whether the storm ends. */
  count: number;
  /** Alert id → its latest event in the current interval; a Map keeps the order of first arrival. */
  digest: Map<string, AlertEvent>;
  /** Every event folded in the current interval. */
  folded: AlertEvent[];
  /** Alert id → the first earlier digest of this storm that reported it. */
  reported: Map<string, string>;
}

interface TargetState {
  /** Arrival times within the window, oldest first; at most threshold + 1 are ever needed. */
  arrivals: number[];
  /** The window of the latest decide(), so that due() can forget arrivals without settings. */
  windowMs: number;
  storm?: Storm;
}

const digestIdOf = (target: string, intervalStart: number) => `${digestOf(target)}-${intervalStart}`;

/**
 * The rules of storm control as a pure state machine on an injected clock: it decides, the caller
 * sends. Per target, a storm begins when more than `threshold` events arrive within `windowMs`;
 * from then on events below `bypassSeverity` are folded into one digest per `intervalMs` (intervals
 * aligned to the start of the storm), until an interval has no more than `threshold` events.
 *
 * State lives in memory: arrival times older than the window and the alerts of an ended storm are
 * forgotten, so memory follows the targets that are busy now, not every target ever seen.
 */
export function createStormTracker(options: StormTrackerOptions = {}): StormTracker {
  const clock = options.now ?? Date.now;
  const targets = new Map<string, TargetState>();
  // Digests closed by decide() before the caller's timer fired: kept until due() hands them out.
  let closed: StormDigest[] = [];

  const dueAtOf = (storm: Storm) => storm.intervalStart + storm.intervalMs;

  function closeInterval(target: string, state: TargetState, storm: Storm) {
    const digestId = digestIdOf(target, storm.intervalStart);
    if (storm.digest.size > 0) {
      closed.push({
        target,
        digestId,
        events: [...storm.digest.values()],
        folded: storm.folded,
        startedAt: storm.intervalStart,
        dueAt: dueAtOf(storm),
      });
      for (const alertId of storm.digest.keys()) {
        if (!storm.reported.has(alertId)) storm.reported.set(alertId, digestId);
      }
    }
    if (storm.count <= storm.threshold) {
      // Forgets the storm's alerts with it: after the storm, their events go alone like any other.
      state.storm = undefined;
      return;
    }
    storm.intervalStart = dueAtOf(storm);
    storm.count = 0;
    storm.digest = new Map();
    storm.folded = [];
  }

  // Closes every interval that ended by `now`, so that an event is counted in the interval it
  // arrived in even when the caller's timer fires late.
  function settle(target: string, state: TargetState, now: number) {
    while (state.storm && dueAtOf(state.storm) <= now) closeInterval(target, state, state.storm);
  }

  function take(now: number): StormDigest[] {
    const [ready, later] = partition(closed, (digest) => digest.dueAt <= now);
    closed = later;
    return ready.sort((a, b) => a.dueAt - b.dueAt);
  }

  return {
    decide(target, settings, event) {
      if (settings === false) return { kind: 'alone' };
      const now = clock();
      let state = targets.get(target);
      if (!state) {
        state = { arrivals: [], windowMs: settings.windowMs };
        targets.set(target, state);
      }
      state.windowMs = settings.windowMs;
      settle(target, state, now);

      const arrivals = state.arrivals;
      while (arrivals.length > 0 && (arrivals[0] as number) <= now - settings.windowMs) arrivals.shift();
      arrivals.push(now);
      // Only whether more than `threshold` arrived matters, so older ones can go.
      if (arrivals.length > settings.threshold + 1)
        arrivals.splice(0, arrivals.length - settings.threshold - 1);

      if (!state.storm) {
        if (arrivals.length <= settings.threshold) return { kind: 'alone' };
        state.storm = {
          intervalMs: settings.intervalMs,
          threshold: settings.threshold,
          intervalStart: now,
          count: 0,
          digest: new Map(),
          folded: [],
          reported: new Map(),
        };
      }
      const storm = state.storm;
      storm.count += 1;
      const alertId = event.alert.id;

      if (atLeastSeverity(event.alert.severity, settings.bypassSeverity)) {
        // An entry of the alert already waiting in the current digest stays: the event folded into
        // it was told it goes out in that digest, and every folded event must.
        const first = storm.reported.get(alertId);
        return first === undefined ? { kind: 'alone' } : { kind: 'alone', firstReportedInDigest: first };
      }
      // One entry per alert and digest, holding its latest event: an alert created and resolved
      // within one interval is reported once, as resolved. Map.set keeps its place in the order.
      storm.digest.set(alertId, event);
      storm.folded.push(event);
      return { kind: 'fold', digestId: digestIdOf(target, storm.intervalStart), dueAt: dueAtOf(storm) };
    },

    due(now = clock()) {
      for (const [target, state] of targets) {
        settle(target, state, now);
        // A quiet target whose arrivals have all left the window is forgotten: its next event
        // would find them gone anyway.
        if (!state.storm && state.arrivals.every((at) => at <= now - state.windowMs)) targets.delete(target);
      }
      return take(now);
    },

    nextDueAt() {
      let next: number | undefined;
      for (const digest of closed) if (next === undefined || digest.dueAt < next) next = digest.dueAt;
      for (const state of targets.values()) {
        if (state.storm && (next === undefined || dueAtOf(state.storm) < next)) next = dueAtOf(state.storm);
      }
      return next;
    },

    flushAll() {
      for (const [target, state] of targets) {
        const storm = state.storm;
        if (storm && storm.digest.size > 0) {
          closed.push({
            target,
            digestId: digestIdOf(target, storm.intervalStart),
            events: [...storm.digest.values()],
            folded: storm.folded,
            startedAt: storm.intervalStart,
            dueAt: dueAtOf(storm),
          });
        }
      }
      targets.clear();
      return take(Number.POSITIVE_INFINITY);
    },
  };
}

function partition<T>(items: T[], test: (item: T) => boolean): [T[], T[]] {
  const yes: T[] = [];
  const no: T[] = [];
  for (const item of items) (test(item) ? yes : no).push(item);
  return [yes, no];
}
