import { z } from 'zod';
import { SEVERITIES, type Severity } from './alert.js';
import { numberOption } from './number-option.js';
import type { RouteKind } from './routes.js';
import type { TenantConfig } from './tenant.js';

/**
 * Storm control of one channel kind of a tenant (`email.storm`, `slack.storm`): when one target gets
 * more than `threshold` events within `windowMs`, its further events are folded into one digest
 * every `intervalMs`, except those at or above `bypassSeverity`, which still go alone.
 *
 * It applies to each target separately: each webhook and each Web API channel of `slack`, and the
 * organization's email (one target for all its recipients). A storm on one target never holds back
 * another. Every field is optional; `stormSettings()` fills in `stormDefaults`.
 */
export interface StormConfig {
  /**
   * More than this many events to one target within `windowMs` start a storm. A whole number ≥ 1.
   * @default 10
   */
  threshold?: number;
  /** The sliding window the events are counted in, in ms (1 s to 24 h). @default 60000 */
  windowMs?: number;
  /** How often a storming target gets a digest, in ms (1 s to 24 h). @default 60000 */
  intervalMs?: number;
  /** Events of alerts at least this severe are never folded into a digest. @default 'critical' */
  bypassSeverity?: Severity;
}

/** A `StormConfig` with every field filled in, as `stormSettings()` returns it. */
export type StormSettings = Required<StormConfig>;

/**
 * What storm control uses for a field the tenant left out. Ten events a minute to one Slack webhook
 * or channel is far below Slack's one message per second, so a quiet day changes nothing; a digest a
 * minute keeps a flooded channel readable.
 */
export const stormDefaults = {
  /** @default 10 */
  threshold: 10,
  /** @default 60000 (1 min) */
  windowMs: 60_000,
  /** @default 60000 (1 min) */
  intervalMs: 60_000,
  /** @default 'critical' */
  bypassSeverity: 'critical',
} as const satisfies StormSettings;

const DAY_MS = 86_400_000;

// Whole milliseconds, since the windows and digest times are meant to be kept as Redis scores and
// expiries (PEXPIRE takes integers). Below a second a "storm" is a burst, which the channels' rate
// limits already absorb; past a day nobody reads the digest as news.
const stormMs = numberOption({ min: 1000, max: DAY_MS, integer: true, unit: 'milliseconds (1 s to 24 h)' })
  .unwrap()
  .pipe(z.number())
  .optional();

// Past it, storm control is off in all but name: say `false` instead.
const MAX_THRESHOLD = 100_000;

// zod's union reports a bad field of the object as "Invalid input" on the union itself when that
// field's issue stops parsing (a type or enum mismatch does); the refinements below do not stop it,
// so each issue keeps its own path (`slack.storm.threshold`) and message. The pipes only narrow the
// type of what the refinement let through.
const stormObject = z.object({
  threshold: numberOption({ min: 1, max: MAX_THRESHOLD, integer: true }).unwrap().pipe(z.number()).optional(),
  windowMs: stormMs,
  intervalMs: stormMs,
  bypassSeverity: z
    .any()
    .refine((v) => (SEVERITIES as readonly unknown[]).includes(v), {
      message: `expected one of ${SEVERITIES.join(', ')}`,
    })
    .pipe(z.enum(SEVERITIES))
    .optional(),
});

/**
 * `email.storm` and `slack.storm` of a tenant config: `false` (off), or a `StormConfig`. Unknown keys
 * are dropped like everywhere else in a tenant config, so that a row written for a newer version
 * still parses.
 */
export const stormConfigSchema = z.union([z.literal(false), stormObject], {
  error: 'expected false or { threshold?, windowMs?, intervalMs?, bypassSeverity? }',
});

/**
 * The storm control settings of `tenant` for the targets of `route`: `email` reads `email.storm`,
 * `slack` (webhooks) and `slackApi` (Web API channels) read `slack.storm`. Returns `false` when the
 * tenant turned it off, else its settings with `stormDefaults` for every field left out; absent, it
 * is on with the defaults.
 */
export function stormSettings(tenant: TenantConfig, route: RouteKind): StormSettings | false {
  const config = route === 'email' ? tenant.email?.storm : tenant.slack?.storm;
  if (config === false) return false;
  return {
    threshold: config?.threshold ?? stormDefaults.threshold,
    windowMs: config?.windowMs ?? stormDefaults.windowMs,
    intervalMs: config?.intervalMs ?? stormDefaults.intervalMs,
    bypassSeverity: config?.bypassSeverity ?? stormDefaults.bypassSeverity,
  };
}
