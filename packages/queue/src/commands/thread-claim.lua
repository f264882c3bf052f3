-- Who posts the parent message of one alert's thread (see includes/claim-parent.lua), for a
-- delivery that claimed without its conversation's order (past `orderWaitMs`).
-- KEYS[1] the conversation hash; ARGV[1] the delivery's job id, ARGV[2] the claim's TTL ms,
-- ARGV[3] the conversation's TTL ms.
-- Returns { answer, sent }: claimParent's answer, and the score of the latest event sent to the
-- channel (false when none), read at the same time.
local sent = redis.call('HGET', KEYS[1], 'sent')
return { claimParent(KEYS[1], ARGV[1], ARGV[2], ARGV[3]), sent }
