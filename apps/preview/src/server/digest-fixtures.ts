import { type AlertDigest, SEVERITIES } from '@pytake/notify-core';
import { digestFixture } from '@pytake/notify-templates/fixtures';
import { ApiError } from './api-error.js';

/** The digests the gallery offers: 2, 12, 60 and 2,000 alerts show every layout of a digest. */
export const digestFixtureSizes = [2, 12, 60, 2000] as const;

/** The largest digest a request may ask for: the gallery's largest. */
export const maxDigestAlerts = Math.max(...digestFixtureSizes);

/** What the props editor holds for a digest: `digestFixture(count)` is built on the server. */
export interface DigestRequest {
  digest: { count: number };
}

/** The gallery name of the digest of `count` alerts. */
export const digestFixtureName = (count: number) => `digest-${count}`;

/** The editor's content for a gallery digest, or undefined when `name` is not one. */
export function findDigestFixture(name: string): DigestRequest | undefined {
  const count = digestFixtureSizes.find((n) => digestFixtureName(n) === name);
  return count === undefined ? undefined : { digest: { count } };
}

/** The most severe alert of a digest, for its gallery card. */
export function digestSeverity(digest: AlertDigest): string {
  const severities = new Set(digest.events.map((e) => e.alert.severity));
  return SEVERITIES.find((s) => severities.has(s)) ?? 'low';
}

/**
 * The digest a request's `digest` asks for: `digestFixture(count)`, with `count` from 1 to `max`.
 * A digest of 2,000 alerts is about a megabyte of JSON, so requests name its size, not its events.
 * @throws ApiError 400 `validation` naming `digest.count`.
 */
export function digestOf(input: unknown, max: number = maxDigestAlerts): AlertDigest {
  const count =
    typeof input === 'object' && input !== null ? (input as { count?: unknown }).count : undefined;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > max) {
    throw new ApiError(400, 'validation', 'Invalid digest', [
      { path: 'digest.count', message: `expected an integer from 1 to ${max}, got ${String(count)}` },
    ]);
  }
  return digestFixture(count);
}
