-- Included by the scripts that decide who posts the parent message of one alert's thread in one
-- Web API channel, so that two workers never both post one. Returns the parent's ts once it is
-- posted; 'post' when this delivery is to post it (the claim is taken now, or was this job's); or
-- 'held' while another delivery's claim lives. A claim is `posting <job id> <expiry, ms on Redis's
-- clock>`; record-sent.lua replaces it with the ts.
local function claimParent(conversationKey, jobId, claimTtlMs, conversationTtlMs)
  local parent = redis.call('HGET', conversationKey, 'parent')
  local time = redis.call('TIME')
  local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
  if parent then
    local job, expires = string.match(parent, '^posting (%S+) (%d+)$')
    if not job then return parent end
    if job ~= jobId and tonumber(expires) > now then return 'held' end
  end
  redis.call('HSET', conversationKey, 'parent', 'posting ' .. jobId .. ' ' .. (now + tonumber(claimTtlMs)))
  if redis.call('PTTL', conversationKey) < tonumber(conversationTtlMs) then
    redis.call('PEXPIRE', conversationKey, conversationTtlMs)
  end
  return 'post'
end
