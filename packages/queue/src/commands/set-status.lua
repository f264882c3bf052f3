-- Sets one target's queue state ('waiting', 'delayed', 'retrying', 'dead') in its event's status
-- hash, unless the target already has an outcome or is dead: a late write never hides either.
-- 'dead' is final: the delivery leaves its alert's order with its target.
-- KEYS[1] the status hash, KEYS[2] the order of the alert's deliveries to the target.
-- ARGV[1] field, ARGV[2] JSON entry, ARGV[3] TTL ms, ARGV[4] the delivery's job id when the state
-- is 'dead' and the delivery is in an order, else ''.
-- Returns the job id of the next delivery in that order, if any.
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current then
  local state = cjson.decode(current).state
  if state ~= 'waiting' and state ~= 'delayed' and state ~= 'retrying' then
    return finishInOrder(KEYS[2], ARGV[4])
  end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return finishInOrder(KEYS[2], ARGV[4])
