// Configuration shared by the example programs: where Redis is and where each program listens.
// Every program reads its settings from the environment, and each secret also from a file named by
// NAME_FILE (Docker and Kubernetes secrets are mounted as files, not put in the environment).
import { ConfigError, readSecretEnv } from '@pytake/notify-core';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * REDIS_URL or REDIS_URL_FILE: a redis:// or rediss:// URL (a secret when it holds a password), or
 * the path of a Unix socket. @default 'redis://localhost:6379'
 */
export function redisConnection(env: Env = process.env): string {
  return readSecretEnv(env, 'REDIS_URL') ?? 'redis://localhost:6379';
}

/** `${name}_HOST` and `${name}_PORT`: where a listener listens. Port 0 picks a free one. */
export function listenAddress(env: Env, name: string, defaults: { host: string; port: number }) {
  const host = env[`${name}_HOST`] || defaults.host;
  const raw = env[`${name}_PORT`];
  const port = raw === undefined || raw === '' ? defaults.port : Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ConfigError('Invalid configuration', [
      { path: `${name}_PORT`, message: `expected an integer from 0 to 65535, got '${raw}'` },
    ]);
  return { host, port };
}

/** A whole number of milliseconds from `env[name]`, or `fallback`. */
export function milliseconds(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0)
    throw new ConfigError('Invalid configuration', [
      { path: name, message: `expected a whole number of milliseconds, got '${raw}'` },
    ]);
  return value;
}

/**
 * One JSON line on stdout, for logs (and for the tests, which read the ports the programs listen on).
 * Never pass it a secret, an address or a URL.
 */
export function log(fields: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ at: new Date().toISOString(), ...fields })}\n`);
}

/** Reads a request's body, at most `limit` bytes (then undefined). */
export async function readBody(request: AsyncIterable<unknown>, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
