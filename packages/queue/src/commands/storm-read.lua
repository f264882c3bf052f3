-- Reads one digest held for its target, with Redis's clock (a digest job that runs before its
-- interval ended, by that clock, waits for it: a worker's own clock may run ahead).
-- KEYS[1] the target's held hash (see storm-fold.lua). ARGV[1] the digest id.
-- Returns {now ms, field, value, field, value, ...} for the digest's fields only.
local t = redis.call('TIME')
local result = {tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)}
local prefix = ARGV[1] .. '|'
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  if string.sub(all[i], 1, #prefix) == prefix then
    result[#result + 1] = string.sub(all[i], #prefix + 1)
    result[#result + 1] = all[i + 1]
  end
end
return result
