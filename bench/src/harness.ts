import { performance } from 'node:perf_hooks';

/** One timed unit of work of one side (one render, one round of sends). */
export type Task = () => Promise<unknown> | unknown;

/** The time budget of one row: every loop of the row checks it and stops when it is spent. */
export interface Budget {
  /** The row's ceiling, ms. */
  readonly ceilingMs: number;
  /** Milliseconds left before the ceiling. */
  left(): number;
  /** True once the ceiling is reached: start no new sample; the row reports what it measured so far. */
  spent(): boolean;
  /**
   * True a quarter of the ceiling past it: a sample still running stops here (inner loops check
   * this), so that the minimum number of samples still ends.
   */
  overdue(): boolean;
  /** Marks the row as cut short by its ceiling (printed beside its result). */
  hit(what: string): void;
  readonly hits: string[];
}

export function budget(ceilingMs: number): Budget {
  const end = performance.now() + ceilingMs;
  const hits: string[] = [];
  return {
    ceilingMs,
    left: () => end - performance.now(),
    spent: () => performance.now() >= end,
    overdue: () => performance.now() >= end + ceilingMs / 4,
    hit: (what) => {
      hits.push(what);
    },
    hits,
  };
}

/** One line of the results table: ours against the raw library (or an ideal) in the same run. */
export interface Result {
  name: string;
  /** What ours measured, for people (e.g. `41.2 µs`, `1,830 posts/s`). */
  ours: string;
  /** What the raw side measured. */
  raw: string;
  /** The number the bar is about, e.g. `raw/ours` for "times faster". */
  ratio: number;
  /** How the ratio is formed, e.g. `raw/ours`. */
  ratioOf: string;
  /** `>= 100`, `<= 1.2`, or `report` (no bar). */
  bar: string;
  /** true PASS, false MISS, null report only. */
  pass: boolean | null;
  note?: string;
  /** Raw numbers for the JSON file. */
  data?: Record<string, unknown>;
}

export interface Row {
  /** What `--row NAME` takes. */
  name: string;
  /** One line: what the row measures. */
  what: string;
  /** Hard ceiling of the whole row, ms; printed, and a row that reaches it says so. */
  ceilingMs: number;
  run(budget: Budget): Promise<Result[]>;
}

// A ratio that is not a finite number (a side with no sample, cut by the ceiling) is a MISS.
export const atLeast = (ratio: number, bar: number) => ({
  bar: `>= ${bar}`,
  pass: Number.isFinite(ratio) && ratio >= bar,
});
export const atMost = (ratio: number, bar: number) => ({
  bar: `<= ${bar}`,
  pass: Number.isFinite(ratio) && ratio <= bar,
});

export function median(samples: readonly number[]): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The nearest-rank percentile (`p` from 0 to 1) of `samples`: a value some sample really had. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

export interface InterleaveOptions {
  warmup: number;
  /** Upper bound on timed pairs; fewer when the budget runs out. */
  pairs: number;
  /** At least this many pairs even if the budget says stop (so a ratio exists). @default 1 */
  minPairs?: number;
}

/**
 * Runs ours and raw interleaved (A B, B A, A B ...) after a warm-up, so that the drift of a shared
 * machine hits both sides alike and neither always runs on the warmer cache. Returns each side's
 * samples in ms, plus CPU (user + system µs of this process) and rate per unit, where a task that
 * returns a number says how many units it did (a round cut short by the ceiling does fewer).
 */
export async function interleave(ours: Task, raw: Task, options: InterleaveOptions, b: Budget) {
  for (let i = 0; i < options.warmup && !b.spent(); i++) {
    await ours();
    await raw();
  }
  const out = {
    ours: [] as number[],
    raw: [] as number[],
    oursCpu: [] as number[],
    rawCpu: [] as number[],
    /** Units per second of each sample, when the task returns how many units it did. */
    oursRate: [] as number[],
    rawRate: [] as number[],
  };
  const minPairs = options.minPairs ?? 1;
  for (let i = 0; i < options.pairs; i++) {
    if (b.spent() && i >= minPairs) {
      b.hit(`${i} of ${options.pairs} pairs`);
      break;
    }
    const order = i % 2 === 0 ? (['ours', 'raw'] as const) : (['raw', 'ours'] as const);
    for (const side of order) {
      const task = side === 'ours' ? ours : raw;
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const units = await task();
      const ms = performance.now() - t0;
      const cpu = process.cpuUsage(c0);
      const n = typeof units === 'number' ? units : 1;
      // A sample that did nothing (stopped at once by the ceiling) says nothing: leave it out.
      if (n === 0) continue;
      out[side].push(ms);
      out[side === 'ours' ? 'oursCpu' : 'rawCpu'].push((cpu.user + cpu.system) / n);
      out[side === 'ours' ? 'oursRate' : 'rawRate'].push((n * 1000) / ms);
    }
  }
  return out;
}

/** Formats a duration given in ms with a unit that suits it. */
export function ms(value: number): string {
  if (!Number.isFinite(value)) return '-';
  if (value < 1) return `${(value * 1000).toPrecision(3)} µs`;
  if (value < 1000) return `${value.toPrecision(3)} ms`;
  return `${(value / 1000).toPrecision(3)} s`;
}

export const num = (value: number, digits = 3) =>
  Number.isFinite(value) ? Number(value.toPrecision(digits)).toLocaleString('en-US') : '-';

export const rate = (perSecond: number, unit: string) => `${num(perSecond)} ${unit}/s`;

/** Bounded wait: polls `check` every `everyMs` until true or `timeoutMs` passed; returns the last check. */
export async function until(check: () => boolean, timeoutMs: number, everyMs = 20): Promise<boolean> {
  const end = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() >= end) return false;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return true;
}
