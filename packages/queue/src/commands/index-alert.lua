-- Notes one planned event in its organization's index of recent alerts, for consoles: the alert's
-- summary (from its latest event by order score), its recent events (their ids name their status
-- hashes, where each target's state is), and its place among the organization's alerts and all
-- alerts by latest activity. Bounded: `maxEvents` per alert, `maxAlerts` per index (the oldest
-- leave; their summaries expire with the TTL). Planning the same event again changes nothing.
-- KEYS[1] the organization's alerts (zset), KEYS[2] every organization's alerts (zset of
-- `[org, alert]` JSON), KEYS[3] the alert's summary hash.
-- ARGV[1] alert id, ARGV[2] the member in KEYS[2], ARGV[3] the event's order score, ARGV[4] its time
-- (ms), ARGV[5] the summary JSON, ARGV[6] the event entry JSON (with its `id`), ARGV[7] the event id,
-- ARGV[8] max events per alert, ARGV[9] max alerts per index, ARGV[10] TTL ms.
local score = tonumber(ARGV[3])
local current = tonumber(redis.call('HGET', KEYS[3], 'score') or nil)
if not current or score >= current then
  redis.call('HSET', KEYS[3], 'summary', ARGV[5], 'score', score)
end
if redis.call('HSETNX', KEYS[3], 'e:' .. ARGV[7], ARGV[6]) == 1 then
  redis.call('HINCRBY', KEYS[3], 'events', 1)
  -- Past the bound, the event with the lowest order score leaves.
  if tonumber(redis.call('HGET', KEYS[3], 'events')) > tonumber(ARGV[8]) then
    local lowest, lowestScore
    for _, field in ipairs(redis.call('HKEYS', KEYS[3])) do
      if string.sub(field, 1, 2) == 'e:' then
        local s = cjson.decode(redis.call('HGET', KEYS[3], field)).score
        if not lowestScore or s < lowestScore then lowest, lowestScore = field, s end
      end
    end
    redis.call('HDEL', KEYS[3], lowest)
    redis.call('HINCRBY', KEYS[3], 'events', -1)
  end
end
redis.call('PEXPIRE', KEYS[3], ARGV[10])
local at = tonumber(ARGV[4])
for i, key in ipairs({KEYS[1], KEYS[2]}) do
  local member = i == 1 and ARGV[1] or ARGV[2]
  local was = tonumber(redis.call('ZSCORE', key, member) or nil)
  if not was or at > was then redis.call('ZADD', key, at, member) end
  redis.call('ZREMRANGEBYRANK', key, 0, -tonumber(ARGV[9]) - 1)
  redis.call('PEXPIRE', key, ARGV[10])
end
return 1
