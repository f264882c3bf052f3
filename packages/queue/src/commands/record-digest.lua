-- Records the final outcome of one digest in one step: its own status entry, a record for each
-- event folded into it, and, when it was sent, its sent marker. A digest that is over (sent,
-- skipped, duplicate) leaves the held hash and the digests due; a dead one keeps its events for a
-- retry from the dead letters (they expire with the held hash).
-- KEYS[1] the digest's status hash, KEYS[2] the records stream, KEYS[3] the digest's idempotency
-- key, KEYS[4] the target's held hash, KEYS[5] the digests due.
-- ARGV[1] field, ARGV[2] JSON entry, ARGV[3] TTL ms, ARGV[4] MAXLEN ~, ARGV[5] the sent marker's
-- TTL ms, or '' when nothing was sent, ARGV[6] digest id, ARGV[7] its member in KEYS[5],
-- ARGV[8] '1' to keep its held events, ARGV[9..] record JSONs.
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
for i = 9, #ARGV do
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[4], '*', 'record', ARGV[i])
end
if ARGV[5] ~= '' then redis.call('SET', KEYS[3], 'delivered', 'PX', ARGV[5]) end
redis.call('ZREM', KEYS[5], ARGV[7])
if ARGV[8] == '1' then return 1 end
local prefix = ARGV[6] .. '|'
local fields = {}
for _, field in ipairs(redis.call('HKEYS', KEYS[4])) do
  if string.sub(field, 1, #prefix) == prefix then fields[#fields + 1] = field end
end
if #fields > 0 then redis.call('HDEL', KEYS[4], unpack(fields)) end
return 1
