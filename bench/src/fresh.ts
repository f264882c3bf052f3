import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const cwd = fileURLToPath(new URL('..', import.meta.url));

/**
 * Runs an ES module snippet in a fresh `node` (bench/ as cwd, so it resolves the bench's packages)
 * and returns the JSON its last stdout line holds. Async, so that servers in this process keep
 * answering the child. Killed after `timeoutMs`.
 */
export function runFresh<T>(code: string, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', code],
      { cwd, timeout: Math.max(1000, Math.round(timeoutMs)), maxBuffer: 1 << 20, env: process.env },
      (error, stdout, stderr) => {
        if (error) {
          const why = error.killed ? `killed after ${Math.round(timeoutMs)} ms` : `exit ${error.code}`;
          const last = stderr.trim().split('\n').filter(Boolean).slice(-3).join(' | ');
          reject(new Error(`fresh process failed (${why}): ${last}`));
        } else resolve(JSON.parse(stdout.trim().split('\n').at(-1)!) as T);
      },
    );
  });
}

/**
 * The CPU (user + system, ms) and wall time of `code` in a fresh process, measured inside it from
 * before its first import to its end: node's own start-up, the same for both sides, is left out.
 */
export async function freshCost(code: string, timeoutMs: number): Promise<{ cpuMs: number; wallMs: number }> {
  const script = `const c0 = process.cpuUsage(); const t0 = performance.now();
${code}
const c = process.cpuUsage(c0);
console.log(JSON.stringify({ cpuMs: (c.user + c.system) / 1000, wallMs: performance.now() - t0 }));`;
  return runFresh(script, timeoutMs);
}
