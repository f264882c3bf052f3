-- Decides who posts the parent message of one alert's thread in one Web API channel, so that two
-- workers never both post one. Returns { answer, sent }: answer is the parent's ts once it is
-- posted, 'post' when this delivery is to post it (the claim is taken now, or was this job's), or
-- 'held' while another delivery's claim lives; sent is the score of the latest event sent to the
-- channel (false when none), read at the same time. A claim is `posting <job id> <expiry, ms on
-- Redis's clock>`; record-sent.lua replaces it with the ts.
-- KEYS[1] the conversation hash; ARGV[1] the delivery's job id, ARGV[2] the claim's TTL ms,
-- ARGV[3] the conversation's TTL ms.
local parent = redis.call('HGET', KEYS[1], 'parent')
local sent = redis.call('HGET', KEYS[1], 'sent')
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
if parent then
  local job, expires = string.match(parent, '^posting (%S+) (%d+)$')
  if not job then return { parent, sent } end
  if job ~= ARGV[1] and tonumber(expires) > now then return { 'held', sent } end
end
redis.call('HSET', KEYS[1], 'parent', 'posting ' .. ARGV[1] .. ' ' .. (now + tonumber(ARGV[2])))
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[3]) then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
return { 'post', sent }
