// Deterministic randomness for the fault suite: every fault decision is a pure function of the seed
// and what the interaction is (which message, which attempt), so a run can be reproduced.

/** The seed of the soak and of every property, unless FAULTS_SEED overrides it for exploration. */
export const FAULTS_SEED = Number(process.env.FAULTS_SEED ?? 20_261_130);

/** A number in [0, 1) from the seed and a key: FNV-1a over the text, then a murmur3 finalizer. */
export function seededUnit(seed: number, ...key: (string | number)[]): number {
  let h = 0x811c9dc5 ^ seed;
  const text = key.join('\u0000');
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 2 ** 32;
}

/** A seeded generator of numbers in [0, 1) (mulberry32), for backoff jitter and tokens. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Picks the fault whose cumulative share covers `u`; `undefined` (no fault) past the last one. */
export function pickFault<K extends string>(
  u: number,
  shares: readonly (readonly [K, number])[],
): K | undefined {
  let sum = 0;
  for (const [kind, share] of shares) {
    sum += share;
    if (u < sum) return kind;
  }
  return undefined;
}
