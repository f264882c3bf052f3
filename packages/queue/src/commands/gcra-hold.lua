-- The target answered 429: every worker holds it for ARGV[1] ms, and afterwards it starts at the
-- steady rate (no burst straight into another 429), for reserved slots and grants alike (`tat` and
-- `sent`, see gcra-take.lua). Slots reserved before are voided (gen + 1), so the schedule of slots
-- restarts at the end of the hold: keeping a `tat` that counted the voided slots made their jobs take
-- new slots after all of them (13 s of nothing after a 1 s hold, for a webhook with 13 reserved).
-- The hold is also listed in KEYS[2] until it ends, for consoles (`queue.rateLimitHolds()`).
-- KEYS[1] the target's limiter hash, KEYS[2] the holds in force (zset by end time);
-- ARGV[1] hold ms, ARGV[2] interval ms, ARGV[3] burst, ARGV[4] the hold's member in KEYS[2] ('' none).
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local until_ms = now + tonumber(ARGV[1])
local v = redis.call('HMGET', KEYS[1], 'hold', 'sent')
local hold = tonumber(v[1]) or 0
local sent = tonumber(v[2]) or now
if until_ms > hold then hold = until_ms end
local resume = hold + (tonumber(ARGV[3]) - 1) * tonumber(ARGV[2])
local tat = resume
if resume > sent then sent = resume end
redis.call('HSET', KEYS[1], 'tat', tat, 'hold', hold, 'sent', sent)
redis.call('HINCRBY', KEYS[1], 'gen', 1)
redis.call('PEXPIRE', KEYS[1], math.ceil(math.max(tat, hold, sent) - now + 60000))
if ARGV[4] ~= '' then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
  local listed = tonumber(redis.call('ZSCORE', KEYS[2], ARGV[4]) or nil)
  if not listed or listed < hold then redis.call('ZADD', KEYS[2], hold, ARGV[4]) end
  if redis.call('PTTL', KEYS[2]) < hold - now then redis.call('PEXPIRE', KEYS[2], hold - now) end
end
return hold - now
