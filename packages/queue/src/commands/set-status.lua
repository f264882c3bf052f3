-- Sets one target's entry in an event's status hash, without going backwards: a queue state
-- ('waiting', 'delayed', 'retrying') never replaces an outcome, and 'duplicate' never replaces
-- 'delivered' or 'partial'. ARGV[3] = 'force' (a dead letter retried) replaces anything.
-- KEYS[1] the status hash; ARGV[1] field, ARGV[2] JSON entry, ARGV[3] mode, ARGV[4] state, ARGV[5] TTL ms.
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current and ARGV[3] ~= 'force' then
  local state = cjson.decode(current).state
  local outcome = state == 'delivered' or state == 'partial' or state == 'failed' or state == 'skipped'
    or state == 'duplicate' or state == 'dead'
  local new_is_queue = ARGV[4] == 'waiting' or ARGV[4] == 'delayed' or ARGV[4] == 'retrying'
  if outcome and new_is_queue then return 0 end
  if ARGV[4] == 'duplicate' and (state == 'delivered' or state == 'partial') then return 0 end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1
