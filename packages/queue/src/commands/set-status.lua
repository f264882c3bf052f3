-- Sets one target's entry in an event's status hash, without going backwards: a queue state
-- ('waiting', 'delayed', 'retrying') never replaces an outcome, and 'duplicate' never replaces
-- 'delivered' or 'partial'. ARGV[3] = 'force' (a dead letter retried) replaces anything.
-- KEYS[1] the status hash; ARGV[1] field, ARGV[2] JSON entry, ARGV[3] mode, ARGV[4] state, ARGV[5] TTL ms.
-- With an outcome's record, in the same step (one command per finished delivery, not three):
-- KEYS[2] the records stream, ARGV[6] the record's JSON, ARGV[7] the stream's MAXLEN ~; and after a
-- send, KEYS[3] the delivery's idempotency key, ARGV[8] the sent marker's TTL ms. The record and the
-- marker are written whatever the status rule decided. Returns 1 when the entry was set.
local apply = 1
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current and ARGV[3] ~= 'force' then
  local state = cjson.decode(current).state
  local outcome = state == 'delivered' or state == 'partial' or state == 'failed' or state == 'skipped'
    or state == 'duplicate' or state == 'dead'
  local new_is_queue = ARGV[4] == 'waiting' or ARGV[4] == 'delayed' or ARGV[4] == 'retrying'
  if outcome and new_is_queue then apply = 0 end
  if ARGV[4] == 'duplicate' and (state == 'delivered' or state == 'partial') then apply = 0 end
end
if KEYS[3] then redis.call('SET', KEYS[3], 'delivered', 'PX', ARGV[8]) end
if apply == 1 then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
end
if KEYS[2] then redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[7], '*', 'record', ARGV[6]) end
return apply
