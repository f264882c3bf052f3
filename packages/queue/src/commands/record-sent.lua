-- Records a send (delivered or partial) in one step, so that Redis has all of it or none: the
-- delivery's sent marker (a job that runs again sends nothing), the target's entry in its event's
-- status hash, the record in the records stream, and the alert's conversation with the target:
-- the delivery leaves its order, the latest event sent moves on, and a Web API message's ts is kept
-- (as the thread's parent when it is one). An email's subject joins the alert's in the index.
-- KEYS[1] the status hash, KEYS[2] the records stream, KEYS[3] the delivery's idempotency key,
-- KEYS[4] the event's stored JSON (dropped once every target has an outcome), KEYS[5] the order of
-- the alert's deliveries to the target, KEYS[6] the conversation hash, KEYS[7] the alert's messages,
-- KEYS[8] the alert's summary hash in the index.
-- ARGV[1] field, ARGV[2] JSON entry, ARGV[3] TTL ms, ARGV[4] record JSON, ARGV[5] MAXLEN ~,
-- ARGV[6] the sent marker's TTL ms, ARGV[7] the delivery's job id ('' when it is in no
-- conversation), ARGV[8] its event's order score, ARGV[9] the parent's ts when this send posted the
-- thread's parent, else '', ARGV[10] the message's JSON for the alert's messages, else '',
-- ARGV[11] the conversation's TTL ms, ARGV[12] the most messages kept per alert, ARGV[13] the
-- email's subject, else '', ARGV[14] the send's time (ms), ARGV[15] the most subjects kept per alert.
-- Returns the job id of the next delivery in the order, if any.

-- The same call again: a client re-sends a command whose answer a dropped connection lost (ioredis
-- does after a reconnect; `untilWritten` retries), and Redis had run it. Its entry, which carries
-- the time it was made, is in place already: write nothing twice (the record would count twice in
-- the stream), and answer as the first run did.
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then return finishInOrder(KEYS[5], ARGV[7]) end

redis.call('SET', KEYS[3], 'delivered', 'PX', ARGV[6])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[5], '*', 'record', ARGV[4])
releaseEventIfDone(KEYS[1], KEYS[4])
-- Only into a summary the index keeps (a key without its TTL otherwise), each subject once.
if ARGV[13] ~= '' and redis.call('EXISTS', KEYS[8]) == 1
  and tonumber(redis.call('HGET', KEYS[8], 'subjects') or '0') < tonumber(ARGV[15]) then
  if redis.call('HSETNX', KEYS[8], 's:' .. ARGV[13], ARGV[14]) == 1 then
    redis.call('HINCRBY', KEYS[8], 'subjects', 1)
  end
end
if ARGV[7] == '' then return false end
local sent = redis.call('HGET', KEYS[6], 'sent')
if not sent or tonumber(sent) < tonumber(ARGV[8]) then redis.call('HSET', KEYS[6], 'sent', ARGV[8]) end
if ARGV[9] ~= '' then
  local parent = redis.call('HGET', KEYS[6], 'parent')
  if not parent or string.sub(parent, 1, 8) == 'posting ' then redis.call('HSET', KEYS[6], 'parent', ARGV[9]) end
end
if redis.call('PTTL', KEYS[6]) < tonumber(ARGV[11]) then redis.call('PEXPIRE', KEYS[6], ARGV[11]) end
if ARGV[10] ~= '' then
  redis.call('ZADD', KEYS[7], ARGV[8], ARGV[10])
  redis.call('ZREMRANGEBYRANK', KEYS[7], 0, -1 - tonumber(ARGV[12]))
  redis.call('PEXPIRE', KEYS[7], ARGV[11])
end
return finishInOrder(KEYS[5], ARGV[7])
