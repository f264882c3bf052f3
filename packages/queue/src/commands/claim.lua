-- Takes an idempotency key for a delivery about to start, unless it is held or delivered.
-- KEYS[1] the key; ARGV[1] claim TTL in ms. Returns 'claimed', 'in_flight' or 'delivered'.
local current = redis.call('GET', KEYS[1])
if current then return current end
redis.call('SET', KEYS[1], 'in_flight', 'PX', ARGV[1])
return 'claimed'
