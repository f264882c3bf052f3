-- A shared GCRA slot for one target, on Redis time so that worker clocks do not matter.
-- KEYS[1] the target's limiter hash: tat (theoretical arrival time of the schedule of slots, ms),
-- sent (the same for slots actually granted, ms), hold (ms), gen (bumped per 429).
-- ARGV[1] emission interval in ms, ARGV[2] burst, ARGV[3] longest wait worth reserving (ms),
-- ARGV[4] generation and ARGV[5] time (Redis ms) of a slot reserved earlier, or '' for none.
-- Returns {ok, waitMs, gen, held, slotAt, now}, now being this decision's time on Redis's clock:
--   ok=1, wait=0    send now: the slot is granted at `now` (what the limit bounds: grant times);
--   ok=1, wait>0    a slot is reserved at slotAt: come back then with gen and slotAt (no second slot is taken);
--   ok=0            nothing reserved: the target is held (held=1) or the wait is longer than ARGV[3].
-- Two GCRAs with the same rate and burst: `tat` schedules slots (reserving one takes it for good), and
-- `sent` admits grants. Every grant must conform to `sent`, so no 1-second window of grant times holds
-- more than burst + rate, whenever the jobs come back. A reserved slot stays its job's when the job
-- comes back late (a delayed job promoted late, a busy worker): it is granted as soon as `sent`
-- allows, which the slot it missed left room for; jobs that come back late together are spread out
-- by `sent` (each told to wait a little, keeping its slot) instead of taking new slots at the end of
-- the schedule, which left every missed slot unused and drained a backlog below the rate.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local max_wait = tonumber(ARGV[3])
local tolerance = (burst - 1) * interval
local v = redis.call('HMGET', KEYS[1], 'tat', 'hold', 'gen', 'sent')
local tat = tonumber(v[1]) or now
local hold = tonumber(v[2]) or 0
local gen = tonumber(v[3]) or 0
local sent = tonumber(v[4]) or now
if hold > now then return {0, hold - now, gen, 1, 0, now} end
if sent < now then sent = now end
-- How long until a grant conforms to `sent` (0: now).
local sent_wait = math.ceil(sent - tolerance - now)
if sent_wait < 0 then sent_wait = 0 end
local function grant()
  redis.call('HSET', KEYS[1], 'sent', sent + interval)
end
local function expire(until_ms)
  redis.call('PEXPIRE', KEYS[1], math.ceil(math.max(until_ms, sent + interval, hold) - now + 60000))
end
-- A slot reserved before the last 429 is void: the hold moved everything back.
if ARGV[4] ~= '' and tonumber(ARGV[4]) == gen then
  local slot_at = tonumber(ARGV[5])
  if now < slot_at then return {1, slot_at - now, gen, 0, slot_at, now} end
  if sent_wait > 0 then return {1, sent_wait, gen, 0, slot_at, now} end
  grant()
  expire(tat)
  return {1, 0, gen, 0, slot_at, now}
end
if tat < now then tat = now end
local wait = math.ceil(tat - tolerance - now)
if wait < 0 then wait = 0 end
if wait < sent_wait then wait = sent_wait end
if wait > max_wait then return {0, wait, gen, 0, 0, now} end
local new_tat = tat + interval
redis.call('HSET', KEYS[1], 'tat', new_tat)
if wait == 0 then grant() end
expire(new_tat)
return {1, wait, gen, 0, now + wait, now}
