-- Storm control for one delivery about to be sent, on Redis's clock so that every worker agrees:
-- counts its arrival for its target, settles the intervals of the target's storm that have ended,
-- and says whether the delivery goes alone or is folded into the digest of the current interval.
-- A fold writes the delivery's outcome in the same step (`digested`, final like any outcome): its
-- sent marker (a job that runs again sends nothing), its status entry, its record, and its leaving
-- the alert's order, so that a later event of the alert is never held back by a digest. The rules
-- are core's storm tracker's (storm-tracker.ts).
-- KEYS[1] the target's storm hash (start, ivl, thr, count; `r:<alert>` the first digest of the
-- storm that folded the alert), KEYS[2] the target's arrivals (job ids by time), KEYS[3] the
-- target's held hash (`<digest>|e|<alert>` the alert's latest event as `score|seq|json`,
-- `<digest>|m|<job>` each folded delivery as `seq|json`), KEYS[4] the digests due (zset by due time),
-- KEYS[5] the delivery's idempotency key, KEYS[6] its event's status hash, KEYS[7] the records
-- stream, KEYS[8] the event's stored JSON, KEYS[9] the order of the alert's deliveries to the target.
-- ARGV[1] job id, ARGV[2] threshold, ARGV[3] windowMs, ARGV[4] intervalMs, ARGV[5] '1' when the
-- event is at or above bypassSeverity, ARGV[6] alert id, ARGV[7] event JSON, ARGV[8] the event's
-- order score, ARGV[9] the target's digest (digest ids are `<it>-<interval start>`), ARGV[10] status
-- field, ARGV[11] status entry JSON, ARGV[12] record JSON, ARGV[13] status TTL ms, ARGV[14] MAXLEN ~,
-- ARGV[15] sent marker TTL ms, ARGV[16] the digest job's reference JSON (its member in KEYS[4]
-- after `<digest>|`), ARGV[17] the held events' TTL ms, ARGV[18] the folded delivery's JSON,
-- ARGV[19] its member in KEYS[9] ('' when it is in no conversation: KEYS[9] is then a placeholder).
-- Returns {'alone', first digest that reported the alert or ''} or
-- {'fold', digest id, due time, 1 when the digest is new, the next job id in the order or ''}.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local threshold, windowMs, intervalMs = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])

-- Folded already by this very call: a client resends a command whose answer a dropped connection
-- lost (ioredis does after a reconnect, e.g. to a Redis restarted on its AOF, which has the first
-- run). The delivery's claim is held, so only its own fold can have set its sent marker: answer as
-- the first run did, instead of folding it into a second digest (it would be told twice).
if redis.call('GET', KEYS[5]) == 'delivered' then
  local entry = redis.call('HGET', KEYS[6], ARGV[10])
  local done = entry and cjson.decode(entry).digestId
  if type(done) == 'string' then
    -- Still due: its job is added again (a no-op while it exists), in case the first run's was not.
    local dueAt = redis.call('ZSCORE', KEYS[4], done .. '|' .. ARGV[16])
    local next = finishInOrder(KEYS[9], ARGV[19])
    return {'fold', done, tonumber(dueAt or 0), dueAt and 1 or 0, next or ''}
  end
end

-- Arrivals within the window; a job that runs again keeps its first arrival (NX).
redis.call('ZADD', KEYS[2], 'NX', now, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - windowMs)
redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -threshold - 2)
redis.call('PEXPIRE', KEYS[2], windowMs)

-- Intervals that ended: a storm whose last interval had no more than its threshold ends (and
-- forgets its alerts); otherwise the next interval begins where the last one ended.
local start = tonumber(redis.call('HGET', KEYS[1], 'start') or nil)
while start do
  local ivl = tonumber(redis.call('HGET', KEYS[1], 'ivl'))
  if start + ivl > now then break end
  if tonumber(redis.call('HGET', KEYS[1], 'count')) <= tonumber(redis.call('HGET', KEYS[1], 'thr')) then
    redis.call('DEL', KEYS[1])
    start = nil
  else
    start = start + ivl
    redis.call('HSET', KEYS[1], 'start', start, 'count', 0)
  end
end

if not start then
  if redis.call('ZCARD', KEYS[2]) <= threshold then return {'alone', ''} end
  start = now
  redis.call('HSET', KEYS[1], 'start', start, 'ivl', intervalMs, 'thr', threshold, 'count', 0)
end
local ivl = tonumber(redis.call('HGET', KEYS[1], 'ivl'))
redis.call('HINCRBY', KEYS[1], 'count', 1)
-- Lives while the storm may still be settled by a later event; an idle one simply expires.
redis.call('PEXPIRE', KEYS[1], ivl * 2 + windowMs)
local digest = ARGV[9] .. '-' .. start
local dueAt = start + ivl
local first = redis.call('HGET', KEYS[1], 'r:' .. ARGV[6])

if ARGV[5] == '1' then
  -- Only a digest already sent counts as where the alert was first reported.
  if first and first ~= digest then return {'alone', first} end
  return {'alone', ''}
end

-- Fold: the alert's latest event (by order score) and the delivery, kept for the digest job.
local field = digest .. '|e|' .. ARGV[6]
local current = redis.call('HGET', KEYS[3], field)
local seq
if current then
  local bar = string.find(current, '|', 1, true)
  local bar2 = string.find(current, '|', bar + 1, true)
  seq = string.sub(current, bar + 1, bar2 - 1)
  if tonumber(string.sub(current, 1, bar - 1)) > tonumber(ARGV[8]) then seq = nil end
else
  seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
end
if seq then redis.call('HSET', KEYS[3], field, ARGV[8] .. '|' .. seq .. '|' .. ARGV[7]) end
redis.call('HSET', KEYS[3], digest .. '|m|' .. ARGV[1], redis.call('HINCRBY', KEYS[1], 'seq', 1) .. '|' .. ARGV[18])
redis.call('PEXPIRE', KEYS[3], ARGV[17])
if not first then redis.call('HSET', KEYS[1], 'r:' .. ARGV[6], digest) end
local isNew = redis.call('ZADD', KEYS[4], 'NX', dueAt, digest .. '|' .. ARGV[16])

-- The delivery's outcome, final: `digested` into this digest.
local entry = cjson.decode(ARGV[11])
entry.digestId = digest
local record = cjson.decode(ARGV[12])
record.digestId = digest
redis.call('SET', KEYS[5], 'delivered', 'PX', ARGV[15])
redis.call('HSET', KEYS[6], ARGV[10], cjson.encode(entry))
redis.call('PEXPIRE', KEYS[6], ARGV[13])
redis.call('XADD', KEYS[7], 'MAXLEN', '~', ARGV[14], '*', 'record', cjson.encode(record))
releaseEventIfDone(KEYS[6], KEYS[8])
local next = finishInOrder(KEYS[9], ARGV[19])
return {'fold', digest, dueAt, isNew, next or ''}
