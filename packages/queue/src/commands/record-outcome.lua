-- Records an outcome that sent nothing (skipped, duplicate, failed, dead) in one step: the
-- target's entry in its event's status hash and the record in the records stream. 'duplicate'
-- never replaces 'delivered', 'partial' or 'digested' (the send or digest it duplicates is the
-- better answer); the record is appended whatever the entry rule decided.
-- Every such outcome is final: the delivery leaves its alert's order with its target.
-- KEYS[1] the status hash, KEYS[2] the records stream, KEYS[3] the event's stored JSON (dropped once
-- every target has an outcome), KEYS[4] the order of the alert's deliveries to the target.
-- ARGV[1] field, ARGV[2] JSON entry, ARGV[3] state, ARGV[4] TTL ms, ARGV[5] record JSON, ARGV[6] MAXLEN ~,
-- ARGV[7] the delivery's job id ('' when it is in no order).
-- Returns the job id of the next delivery in that order, if any.

-- The same call again (a command re-sent after a lost answer, see record-sent.lua): its entry is in
-- place already, so nothing is written twice.
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then return finishInOrder(KEYS[4], ARGV[7]) end

local apply = 1
if ARGV[3] == 'duplicate' then
  local current = redis.call('HGET', KEYS[1], ARGV[1])
  if current then
    local state = cjson.decode(current).state
    if state == 'delivered' or state == 'partial' or state == 'digested' then apply = 0 end
  end
end
if apply == 1 then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
end
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[6], '*', 'record', ARGV[5])
releaseEventIfDone(KEYS[1], KEYS[3])
return finishInOrder(KEYS[4], ARGV[7])
