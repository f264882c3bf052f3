-- Included at the top of the scripts that write an outcome (see index.ts).
-- Drops an event's stored JSON once every target in its status hash has an outcome, so that what
-- stays in Redis after delivery does not grow with the event's size. A target still waiting,
-- delayed or retrying keeps it; a dead one does not (its dead letter carries the event).
-- The entries are our JSON, where `"state":"…"` can only be the state itself (quotes in values are
-- escaped).
local function releaseEventIfDone(statusKey, eventKey)
  if redis.call('EXISTS', eventKey) == 0 then return end
  for _, entry in ipairs(redis.call('HVALS', statusKey)) do
    if string.find(entry, '"state":"waiting"', 1, true) or string.find(entry, '"state":"delayed"', 1, true)
      or string.find(entry, '"state":"retrying"', 1, true) then
      return
    end
  end
  redis.call('DEL', eventKey)
end
