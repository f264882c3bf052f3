import { createHash } from 'node:crypto';

/**
 * A short, stable digest for a Redis key or job id: bounds the key's length and keeps whatever went
 * in (an idempotency key, a rate-limit destination) out of Redis. Hex, so never contains `:`.
 */
export function hashKey(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 32);
}
