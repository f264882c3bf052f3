import { queueKeys } from './queue-keys.js';

/** The Redis stream that every worker appends its records to, for audit consumers (XREAD / XRANGE). */
export const recordsStreamKey = (prefix: string) => queueKeys(prefix).records;
