-- Claim.lua for a delivery in its alert's conversation with its target: takes the delivery's
-- idempotency key only when every earlier event of the alert is final for the target, and reads
-- the conversation at the same time, in one round trip.
-- KEYS[1] the delivery's idempotency key, KEYS[2] the alert's unplanned events, KEYS[3] the order of
-- the alert's deliveries to the target, KEYS[4] the conversation hash.
-- ARGV[1] claim TTL ms, ARGV[2] the delivery's order score, ARGV[3] the delivery's job id when it
-- posts in a thread (it also decides who posts the thread's parent: see includes/claim-parent.lua),
-- else '', ARGV[4] the conversation's TTL ms.
-- Returns { 'wait', job id } while an earlier delivery to the target is not final;
-- { 'unplanned', event ids... } while earlier events of the alert may not be planned yet (the
-- caller tells those planned since from the others); else { state, sent, parent }, state as
-- claim.lua's, sent the score of the latest event sent to the target and parent the thread's
-- parent for a threaded delivery that claimed (claimParent's answer), else ''.
local below = '(' .. ARGV[2]
local earlier = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', below, 'LIMIT', 0, 1)
if earlier[1] then return { 'wait', earlier[1] } end
local unplanned = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', below, 'LIMIT', 0, 8)
if unplanned[1] then
  table.insert(unplanned, 1, 'unplanned')
  return unplanned
end
local state = redis.call('GET', KEYS[1])
if not state then
  redis.call('SET', KEYS[1], 'in_flight', 'PX', ARGV[1])
  state = 'claimed'
end
local sent = redis.call('HGET', KEYS[4], 'sent') or ''
local parent = ''
if state == 'claimed' and ARGV[3] ~= '' then parent = claimParent(KEYS[4], ARGV[3], ARGV[1], ARGV[4]) end
return { state, sent, parent }
