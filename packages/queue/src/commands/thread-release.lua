-- Gives back this delivery's claim to post a thread's parent (its send failed), so that the next
-- try, by any delivery of the alert, may post it at once.
-- KEYS[1] the conversation hash; ARGV[1] the delivery's job id.
local parent = redis.call('HGET', KEYS[1], 'parent')
if parent and string.sub(parent, 1, 9 + #ARGV[1]) == 'posting ' .. ARGV[1] .. ' ' then
  redis.call('HDEL', KEYS[1], 'parent')
end
return 1
