-- Included by the scripts that write a delivery's final outcome (see index.ts).
-- Takes the delivery (its job id) out of its alert's order with its target, and returns the next
-- delivery waiting there, if any, so that the worker can wake it.
local function finishInOrder(orderKey, member)
  if member == '' then return false end
  redis.call('ZREM', orderKey, member)
  local next = redis.call('ZRANGE', orderKey, 0, 0)
  return next[1] or false
end
