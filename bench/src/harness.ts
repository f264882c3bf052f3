import { performance } from 'node:perf_hooks';

/** One timed side of a pair: does one unit of work (one render, one batch of sends). */
export type Task = () => Promise<unknown> | unknown;

export interface SideStats {
  medianMs: number;
  p95Ms: number;
  /** Units of work per second, from the median. */
  opsPerSec: number;
  samples: number;
}

export interface Row {
  name: string;
  ours: SideStats;
  raw: SideStats;
  /** ours / raw: for time rows the ratio of medians (lower is better); for throughput rows the ratio of throughputs (higher is better). */
  ratio: number;
  kind: 'time' | 'throughput';
  bar: string;
  pass: boolean | null;
  note?: string;
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}

export function stats(samples: readonly number[], unitsPerSample = 1): SideStats {
  const sorted = [...samples].sort((a, b) => a - b);
  const median = quantile(sorted, 0.5);
  return {
    medianMs: median,
    p95Ms: quantile(sorted, 0.95),
    opsPerSec: (unitsPerSample * 1000) / median,
    samples: samples.length,
  };
}

export interface CompareOptions {
  warmup: number;
  iterations: number;
  /** How many units one call of a task does (e.g. 500 messages), for throughput. @default 1 */
  unitsPerIteration?: number;
  /** Stop early once this much time went by, so a slow machine still finishes. @default 60000 */
  maxMs?: number;
}

/**
 * Runs ours and raw interleaved (A B A B ...) after a warm-up, so that drift on a noisy machine hits
 * both sides alike, and returns the samples of each side in milliseconds.
 */
export async function interleave(ours: Task, raw: Task, options: CompareOptions) {
  for (let i = 0; i < options.warmup; i++) {
    await ours();
    await raw();
  }
  const a: number[] = [];
  const b: number[] = [];
  const deadline = performance.now() + (options.maxMs ?? 60_000);
  for (let i = 0; i < options.iterations && performance.now() < deadline; i++) {
    // Alternate which side goes first, so neither always runs on a warmer cache.
    const order: [Task, number[]][] =
      i % 2 === 0
        ? [
            [ours, a],
            [raw, b],
          ]
        : [
            [raw, b],
            [ours, a],
          ];
    for (const [task, into] of order) {
      const t0 = performance.now();
      await task();
      into.push(performance.now() - t0);
    }
  }
  return { ours: a, raw: b };
}

export async function compareTime(
  name: string,
  ours: Task,
  raw: Task,
  options: CompareOptions & { maxRatio: number },
): Promise<Row> {
  const s = await interleave(ours, raw, options);
  const o = stats(s.ours, options.unitsPerIteration);
  const r = stats(s.raw, options.unitsPerIteration);
  const ratio = o.medianMs / r.medianMs;
  return {
    name,
    ours: o,
    raw: r,
    ratio,
    kind: 'time',
    bar: `<= ${options.maxRatio}`,
    pass: ratio <= options.maxRatio,
  };
}

export async function compareThroughput(
  name: string,
  ours: Task,
  raw: Task,
  options: CompareOptions & { minRatio: number },
): Promise<Row> {
  const s = await interleave(ours, raw, options);
  const o = stats(s.ours, options.unitsPerIteration);
  const r = stats(s.raw, options.unitsPerIteration);
  const ratio = o.opsPerSec / r.opsPerSec;
  return {
    name,
    ours: o,
    raw: r,
    ratio,
    kind: 'throughput',
    bar: `>= ${options.minRatio}`,
    pass: ratio >= options.minRatio,
  };
}

const fmt = (n: number, digits = 3) => (Number.isFinite(n) ? n.toPrecision(digits) : '-');

export function printRows(rows: readonly Row[]): void {
  const header = [
    'row',
    'ours median ms',
    'ours p95',
    'ours ops/s',
    'raw median ms',
    'raw p95',
    'raw ops/s',
    'ratio',
    'bar',
    'ok',
  ];
  const lines = rows.map((r) => [
    r.name,
    fmt(r.ours.medianMs),
    fmt(r.ours.p95Ms),
    fmt(r.ours.opsPerSec, 4),
    fmt(r.raw.medianMs),
    fmt(r.raw.p95Ms),
    fmt(r.raw.opsPerSec, 4),
    fmt(r.ratio),
    r.bar,
    r.pass === null ? 'report' : r.pass ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const show = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(show(header));
  for (const l of lines) console.log(show(l));
  for (const r of rows) if (r.note) console.log(`  ${r.name}: ${r.note}`);
}
