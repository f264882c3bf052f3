-- The target answered 429: every worker holds it for ARGV[1] ms, and afterwards it starts at the
-- steady rate (no burst straight into another 429), for reserved slots and grants alike (`tat` and
-- `sent`, see gcra-take.lua). Slots reserved before are voided (gen + 1), so the schedule of slots
-- restarts at the end of the hold: keeping a `tat` that counted the voided slots made their jobs take
-- new slots after all of them (13 s of nothing after a 1 s hold, for a webhook with 13 reserved).
-- KEYS[1] the target's limiter hash; ARGV[1] hold ms, ARGV[2] interval ms, ARGV[3] burst.
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
return hold - now
