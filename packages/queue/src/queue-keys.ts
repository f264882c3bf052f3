import type { RouteKind } from '@pytake/notify-core';
import { hashKey } from './hash-key.js';

/**
 * Every Redis key this package names beside BullMQ's own, in one place. Each starts with the
 * prefix, which is in hash-tag form (`{pytake-notify}`), so that all of them and BullMQ's keys land
 * in one Redis Cluster slot and the Lua scripts may touch several at once. None holds a secret or
 * an address: an idempotency key and a rate-limit key go in as digests.
 */
export function queueKeys(prefix: string) {
  return {
    /** Hash: one field per target of an event (`statusField()`), JSON of its `TargetStatus`. */
    status: (eventId: string) => `${prefix}:status:${eventId}`,
    /** The event of an event job, as JSON, stored once for all its delivery jobs. */
    event: (eventId: string) => `${prefix}:event:${eventId}`,
    /** Stream of every record, for audit consumers (XREAD / XRANGE). */
    records: `${prefix}:records`,
    /** String: a delivery's claim (`in_flight`) or sent marker (`delivered`). */
    idempotency: (key: string) => `${prefix}:idem:${hashKey(key)}`,
    /** Hash: the shared GCRA of one destination (see commands/gcra-take.lua). */
    rateLimit: (destination: string) => `${prefix}:rl:${hashKey(destination)}`,
    /**
     * Sorted set: the events of one alert enqueued and not yet planned (event job ids, scored by
     * `orderScore()`), so that a later event waits for an earlier one still in the events queue.
     */
    unplanned: (organizationId: string, alertId: string) =>
      `${prefix}:unplanned:${hashKey(JSON.stringify([organizationId, alertId]))}`,
    /** Sorted set: the deliveries of one alert to one target not yet final (delivery job ids, scored). */
    order: (conversation: ConversationId) => `${prefix}:order:${conversationDigest(conversation)}`,
    /**
     * Hash: one alert's conversation with one target: `sent` (the score of the latest event sent)
     * and, for a threaded Web API channel, `parent` (the parent message's ts, or a claim to post it).
     */
    conversation: (conversation: ConversationId) => `${prefix}:conv:${conversationDigest(conversation)}`,
    /** Sorted set: the Web API messages posted for one alert (JSON `MessageRef`s), for later edits. */
    messages: (organizationId: string, alertId: string) =>
      `${prefix}:msgs:${hashKey(JSON.stringify([organizationId, alertId]))}`,
    /** Hash: the storm of one target (see commands/storm-fold.lua), while it lasts. */
    storm: (target: StormTarget) => `${prefix}:storm:${stormTargetDigest(target)}`,
    /** Sorted set: the latest deliveries to one target by arrival time, within its storm window. */
    arrivals: (target: StormTarget) => `${prefix}:arrivals:${stormTargetDigest(target)}`,
    /** Hash: the events one target's digests hold until they are sent. */
    held: (target: StormTarget) => `${prefix}:held:${stormTargetDigest(target)}`,
    /** Sorted set: an organization's recent alerts (ids) by latest activity, for consoles. */
    alerts: (organizationId: string) => `${prefix}:alerts:${hashKey(organizationId)}`,
    /** Sorted set: every organization's recent alerts (`[org, alert]` JSON) by latest activity. */
    allAlerts: `${prefix}:alerts`,
    /** Hash: one alert's summary and its recent events (see commands/index-alert.lua). */
    alert: (organizationId: string, alertId: string) =>
      `${prefix}:alert:${hashKey(JSON.stringify([organizationId, alertId]))}`,
    /** Sorted set: the 429 holds in force (`[org, route, target]` JSON, target redacted) by end time. */
    holds: `${prefix}:holds`,
    /** Sorted set: every digest not yet over, by due time, so that a digest job lost is added again. */
    digestsDue: `${prefix}:digests-due`,
  } as const;
}
export type QueueKeys = ReturnType<typeof queueKeys>;

/** One alert's conversation with one target. */
export interface ConversationId {
  organizationId: string;
  alertId: string;
  route: RouteKind;
  targetId: string;
}

/** One target of one organization, whose storms are counted apart from every other's. */
export interface StormTarget {
  organizationId: string;
  route: RouteKind;
  targetId: string;
}

/** A target's digest: its keys' suffix, and the first part of its digests' ids. */
export const stormTargetDigest = (t: StormTarget) =>
  hashKey(JSON.stringify([t.organizationId, t.route, t.targetId]));

const conversationDigest = (c: ConversationId) =>
  hashKey(JSON.stringify([c.organizationId, c.alertId, c.route, c.targetId]));

/**
 * The field of one target in its event's status hash: `slack.ops-hook`, `email.email`. A target's
 * identity may contain `.`; the route never does, so the field splits at its first dot.
 */
export const statusField = (route: RouteKind, targetId: string) => `${route}.${targetId}`;

/** The target of an outcome that concerns the whole organization (no target was planned). */
export const ORGANIZATION_TARGET = '-';

/** The route and target identity of a status field. */
export function parseStatusField(field: string): { route: RouteKind; targetId: string } {
  const dot = field.indexOf('.');
  return { route: field.slice(0, dot) as RouteKind, targetId: field.slice(dot + 1) };
}

/** The Redis stream that every worker appends its records to, for audit consumers (XREAD / XRANGE). */
export const recordsStreamKey = (prefix: string) => queueKeys(prefix).records;
