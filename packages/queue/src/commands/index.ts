/// <reference path="../lua.d.ts" />
import type { RedisClient } from '../redis-connection.js';
import claim from './claim.lua';
import gcraHold from './gcra-hold.lua';
import gcraTake from './gcra-take.lua';
import release from './release.lua';
import setStatus from './set-status.lua';

// Every Redis script of the package, each in its own .lua file named for what it does, defined on
// a client once (ioredis sends EVALSHA and falls back to EVAL after a Redis restart).
const scripts = { claim, release, gcraTake, gcraHold, setStatus } as const;
export type ScriptName = keyof typeof scripts;

const defined = new WeakSet<RedisClient>();

/** Runs script `name` with one key (every script here takes exactly one). */
export function runScript(
  redis: RedisClient,
  name: ScriptName,
  key: string,
  args: (string | number)[],
): Promise<unknown> {
  if (!defined.has(redis)) {
    for (const [script, lua] of Object.entries(scripts)) {
      redis.defineCommand(`pytakeNotify_${script}`, { numberOfKeys: 1, lua });
    }
    defined.add(redis);
  }
  const command = (redis as unknown as Record<string, (...a: (string | number)[]) => Promise<unknown>>)[
    `pytakeNotify_${name}`
  ]!;
  return command.call(redis, key, ...args);
}
