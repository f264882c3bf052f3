-- Gives a claim back after a failed send. Never removes a sent marker ('delivered').
-- KEYS[1] the key. Returns 1 when a claim was removed.
if redis.call('GET', KEYS[1]) == 'in_flight' then
  return redis.call('DEL', KEYS[1])
end
return 0
