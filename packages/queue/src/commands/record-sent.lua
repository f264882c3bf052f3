-- Records a send (delivered or partial) in one step, so that Redis has all three or none: the
-- delivery's sent marker (a job that runs again sends nothing), the target's entry in its event's
-- status hash, and the record in the records stream.
-- KEYS[1] the status hash, KEYS[2] the records stream, KEYS[3] the delivery's idempotency key,
-- KEYS[4] the event's stored JSON (dropped once every target has an outcome).
-- ARGV[1] field, ARGV[2] JSON entry, ARGV[3] TTL ms, ARGV[4] record JSON, ARGV[5] MAXLEN ~,
-- ARGV[6] the sent marker's TTL ms.
redis.call('SET', KEYS[3], 'delivered', 'PX', ARGV[6])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[5], '*', 'record', ARGV[4])
releaseEventIfDone(KEYS[1], KEYS[4])
return 1
