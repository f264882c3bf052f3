-- Sets one target's queue state ('waiting', 'delayed', 'retrying', 'dead') in its event's status
-- hash, unless the target already has an outcome or is dead: a late write never hides either.
-- KEYS[1] the status hash; ARGV[1] field, ARGV[2] JSON entry, ARGV[3] TTL ms.
-- Returns 1 when the entry was set.
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current then
  local state = cjson.decode(current).state
  if state ~= 'waiting' and state ~= 'delayed' and state ~= 'retrying' then return 0 end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
