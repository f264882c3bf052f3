import { digestOf } from './target-id.js';

/**
 * A recipient address as a short digest (16 hex characters of SHA-256 of the lower-cased address):
 * what a queue job keeps of a deferred recipient, since job data never holds an address. The same
 * address gives the same digest in every process, so a retried job can find the recipients it must
 * still send to in the tenant's current list.
 */
export const recipientDigest = (address: string): string => digestOf(address.trim().toLowerCase());
