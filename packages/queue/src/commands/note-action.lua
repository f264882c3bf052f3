-- Notes an operator's action on an alert the index keeps (a console's Acknowledge, Resolve or
-- Assign): it joins the alert's latest actions, for its timeline, and the summary's status follows
-- it until the alert's next event brings the service's own. Nothing when the index no longer keeps
-- the alert (it would be a key without its TTL).
-- KEYS[1] the alert's summary hash.
-- ARGV[1] the action's JSON, ARGV[2] the status it sets ('' for none), ARGV[3] the most actions kept.
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local n = redis.call('HINCRBY', KEYS[1], 'actions', 1)
redis.call('HSET', KEYS[1], 'a:' .. n, ARGV[1])
redis.call('HDEL', KEYS[1], 'a:' .. (n - tonumber(ARGV[3])))
if ARGV[2] ~= '' then
  local summary = cjson.decode(redis.call('HGET', KEYS[1], 'summary'))
  -- A resolved alert stays resolved: only its next event may open it again.
  if not (summary.status == 'resolved' and ARGV[2] == 'acknowledged') then
    summary.status = ARGV[2]
    redis.call('HSET', KEYS[1], 'summary', cjson.encode(summary))
  end
end
return 1
