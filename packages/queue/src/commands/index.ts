/// <reference path="../lua.d.ts" />
import type { RedisClient } from '../redis-connection.js';
import claim from './claim.lua';
import claimInOrder from './claim-in-order.lua';
import gcraHold from './gcra-hold.lua';
import gcraTake from './gcra-take.lua';
import claimParent from './includes/claim-parent.lua';
import finishInOrder from './includes/finish-in-order.lua';
import releaseEvent from './includes/release-event.lua';
import indexAlert from './index-alert.lua';
import noteAction from './note-action.lua';
import recordDigest from './record-digest.lua';
import recordOutcome from './record-outcome.lua';
import recordSent from './record-sent.lua';
import release from './release.lua';
import setStatus from './set-status.lua';
import stormFold from './storm-fold.lua';
import stormRead from './storm-read.lua';
import threadClaim from './thread-claim.lua';
import threadRelease from './thread-release.lua';

// Every Redis script of the package, each in its own .lua file named for what it does, with its keys
// and arguments at its top, defined on a client once (ioredis sends EVALSHA and falls back to EVAL
// after a Redis restart). One script per command: each takes a fixed number of keys.
const scripts = {
  claim: { lua: claim, numberOfKeys: 1 },
  release: { lua: release, numberOfKeys: 1 },
  gcraTake: { lua: gcraTake, numberOfKeys: 1 },
  gcraHold: { lua: gcraHold, numberOfKeys: 2 },
  threadRelease: { lua: threadRelease, numberOfKeys: 1 },
  // Shared Lua goes in front of the scripts that use it, as BullMQ's `includes` do.
  claimInOrder: { lua: `${claimParent}\n${claimInOrder}`, numberOfKeys: 4 },
  threadClaim: { lua: `${claimParent}\n${threadClaim}`, numberOfKeys: 1 },
  setStatus: { lua: `${finishInOrder}\n${setStatus}`, numberOfKeys: 2 },
  recordOutcome: { lua: `${releaseEvent}\n${finishInOrder}\n${recordOutcome}`, numberOfKeys: 4 },
  recordSent: { lua: `${releaseEvent}\n${finishInOrder}\n${recordSent}`, numberOfKeys: 8 },
  stormFold: { lua: `${releaseEvent}\n${finishInOrder}\n${stormFold}`, numberOfKeys: 9 },
  stormRead: { lua: stormRead, numberOfKeys: 1 },
  indexAlert: { lua: indexAlert, numberOfKeys: 3 },
  noteAction: { lua: noteAction, numberOfKeys: 1 },
  recordDigest: { lua: recordDigest, numberOfKeys: 5 },
} as const;
export type ScriptName = keyof typeof scripts;

const defined = new WeakSet<RedisClient>();

/** Runs script `name` on its keys (in one hash slot) and arguments. */
export function runScript(
  redis: RedisClient,
  name: ScriptName,
  keys: readonly string[],
  args: readonly (string | number)[],
): Promise<unknown> {
  if (!defined.has(redis)) {
    for (const [script, definition] of Object.entries(scripts))
      redis.defineCommand(`pytakeNotify_${script}`, definition);
    defined.add(redis);
  }
  if (keys.length !== scripts[name].numberOfKeys)
    throw new TypeError(`${name} takes ${scripts[name].numberOfKeys} keys, got ${keys.length}`);
  const command = (redis as unknown as Record<string, (...a: (string | number)[]) => Promise<unknown>>)[
    `pytakeNotify_${name}`
  ]!;
  return command.call(redis, ...keys, ...args);
}
