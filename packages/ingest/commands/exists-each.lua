--[[
  exists-each: for every key, 1 if it exists, else 0.

  The ingest's duplicate check: the job keys of one tick's events on one shard,
  sent just before the addBulk that stores them, on the same connection, so Redis
  answers for the moment before the add. One command instead of a pipeline of
  EXISTS (ioredis builds a Pipeline object per pipeline, copying every script
  BullMQ defines onto it: that cost every flush about 50 µs of CPU).

  Sent with EVAL, never EVALSHA: a NOSCRIPT retry would run after the add and
  call every event a duplicate.

  KEYS: the job keys, all in one shard's hash slot. Returns: one 0/1 per key.
]]
local found = {}
for i, key in ipairs(KEYS) do
  found[i] = redis.call('EXISTS', key)
end
return found
