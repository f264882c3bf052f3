-- A shared GCRA slot for one target, on Redis time so that worker clocks do not matter.
-- KEYS[1] the target's limiter hash: tat (theoretical arrival time, ms), hold (ms), gen (bumped per 429).
-- ARGV[1] emission interval in ms, ARGV[2] burst, ARGV[3] longest wait worth reserving (ms),
-- ARGV[4] generation and ARGV[5] time (Redis ms) of a slot reserved earlier, or '' for none.
-- Returns {ok, waitMs, gen, held, slotAt, now}, now being this decision's time on Redis's clock:
--   ok=1, wait=0    send now: the slot is granted at `now` (what the limit bounds: grant times);
--   ok=1, wait>0    a slot is reserved at slotAt: come back then with gen and slotAt (no second slot is taken);
--   ok=0            nothing reserved: the target is held (held=1) or the wait is longer than ARGV[3].
-- A reserved slot is honoured only from its time to half an interval after it: jobs that come back
-- late together (a worker that was busy) would otherwise send together. A late one takes a new slot.
-- Grants then lie at most half an interval after conforming slots, so that no 1-second window of
-- grant times holds more than burst + rate, for any rate (a whole interval would allow one more when
-- the rate is not a whole number). The price of a late return is the slot it missed: workers that
-- a loaded machine wakes 100 ms or more late drain a backlog below the rate (2.2 to 2.9/s at 3/s),
-- never above it.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local max_wait = tonumber(ARGV[3])
local v = redis.call('HMGET', KEYS[1], 'tat', 'hold', 'gen')
local tat = tonumber(v[1]) or now
local hold = tonumber(v[2]) or 0
local gen = tonumber(v[3]) or 0
if hold > now then return {0, hold - now, gen, 1, 0, now} end
-- A slot reserved before the last 429 is void: the hold moved everything back.
if ARGV[4] ~= '' and tonumber(ARGV[4]) == gen then
  local slot_at = tonumber(ARGV[5])
  if now < slot_at then return {1, slot_at - now, gen, 0, slot_at, now} end
  if now <= slot_at + interval / 2 then return {1, 0, gen, 0, slot_at, now} end
end
if tat < now then tat = now end
local wait = math.ceil(tat + interval - burst * interval - now)
if wait < 0 then wait = 0 end
if wait > max_wait then return {0, wait, gen, 0, 0, now} end
local new_tat = tat + interval
redis.call('HSET', KEYS[1], 'tat', new_tat)
redis.call('PEXPIRE', KEYS[1], math.ceil(math.max(new_tat, hold) - now + 60000))
return {1, wait, gen, 0, now + wait, now}
