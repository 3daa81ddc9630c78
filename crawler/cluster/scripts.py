"""The Lua scripts that make every shared step atomic (one round trip each, no lost or doubled request).

Queue members are ``<lease id> <request JSON>``; a lease is stored as ``<score> <member>`` in the holding node's
hash, so it can go back to the queue exactly where it was.
"""

from __future__ import annotations

import redis
from redis.commands.core import Script

# Join the spider's current run if it is still running, else start the next one.
# KEYS: current, counter. ARGV: spider base key, created_at.
JOIN_RUN = """
local cur = redis.call('GET', KEYS[1])
if cur then
  local status = redis.call('HGET', ARGV[1] .. ':' .. cur .. ':meta', 'status')
  if status == 'running' then return {cur, 'joined'} end
end
local n = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], n)
redis.call('HSET', ARGV[1] .. ':' .. n .. ':meta', 'status', 'running', 'created_at', ARGV[2], 'seeded', '0')
return {tostring(n), 'created'}
"""

# Dupefilter and push in one step. KEYS: dupefilter, queue, seq. ARGV: fingerprint, dont_filter, priority, member.
PUSH = """
if ARGV[2] ~= '1' then
  if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
end
local seq = redis.call('INCR', KEYS[3])
redis.call('ZADD', KEYS[2], string.format('%.0f', -tonumber(ARGV[3]) * 1e10 + seq), ARGV[4])
return 1
"""

# Pop the first request and lease it to this node (registering the node as alive).
# KEYS: queue, leases, nodes, alive. ARGV: node, ttl_ms.
POP = """
redis.call('SADD', KEYS[3], ARGV[1])
redis.call('SET', KEYS[4], '1', 'PX', ARGV[2])
local r = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #r == 0 then return false end
redis.call('ZREM', KEYS[1], r[1])
local sp = string.find(r[1], ' ', 1, true)
redis.call('HSET', KEYS[2], string.sub(r[1], 1, sp - 1), r[2] .. ' ' .. r[1])
return r[1]
"""

# Give leases back to the queue. KEYS: leases, queue. ARGV: lease ids.
RELEASE = """
local n = 0
for _, id in ipairs(ARGV) do
  local v = redis.call('HGET', KEYS[1], id)
  if v then
    local sp = string.find(v, ' ', 1, true)
    redis.call('ZADD', KEYS[2], string.sub(v, 1, sp - 1), string.sub(v, sp + 1))
    redis.call('HDEL', KEYS[1], id)
    n = n + 1
  end
end
return n
"""

# Requeue the leases of every node whose heartbeat expired. KEYS: nodes, queue. ARGV: node key prefix.
RECLAIM = """
local moved = 0
for _, node in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('EXISTS', ARGV[1] .. 'alive:' .. node) == 0 then
    local lk = ARGV[1] .. 'leases:' .. node
    local all = redis.call('HGETALL', lk)
    for i = 2, #all, 2 do
      local v = all[i]
      local sp = string.find(v, ' ', 1, true)
      redis.call('ZADD', KEYS[2], string.sub(v, 1, sp - 1), string.sub(v, sp + 1))
      moved = moved + 1
    end
    redis.call('DEL', lk)
    redis.call('SREM', KEYS[1], node)
  end
end
return moved
"""

# Finish the run when it is seeded, its queue is empty and no node holds a lease.
# KEYS: meta, queue, nodes. ARGV: node key prefix, finished_at. Returns the run's status.
FINISH = """
local st = redis.call('HGET', KEYS[1], 'status')
if st ~= 'running' then return st or 'lost' end
if redis.call('HGET', KEYS[1], 'seeded') ~= '1' then return 'running' end
if redis.call('ZCARD', KEYS[2]) > 0 then return 'running' end
for _, node in ipairs(redis.call('SMEMBERS', KEYS[3])) do
  if redis.call('HLEN', ARGV[1] .. 'leases:' .. node) > 0 then return 'running' end
end
redis.call('HSET', KEYS[1], 'status', 'finished', 'finished_at', ARGV[2])
return 'finished'
"""

# Who seeds: 'done' (already seeded), 'seed' (this node, lock taken) or 'wait'.
# KEYS: meta, seed_lock. ARGV: node, ttl_ms.
CLAIM_SEED = """
if redis.call('HGET', KEYS[1], 'seeded') == '1' then return 'done' end
local holder = redis.call('GET', KEYS[2])
if holder and holder ~= ARGV[1] then return 'wait' end
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
return 'seed'
"""

# One request from a sliding-window budget. Returns 0 (granted) or the milliseconds to wait.
# KEYS: log (zset of grant times), cfg (hash). ARGV: default quota, default window ms, margin ms, member.
BUDGET_TAKE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local q = tonumber(redis.call('HGET', KEYS[2], 'quota'))
local w = tonumber(redis.call('HGET', KEYS[2], 'window_ms'))
if not q or not w then
  q, w = tonumber(ARGV[1]), tonumber(ARGV[2])
  redis.call('HSET', KEYS[2], 'quota', q, 'window_ms', w)
end
w = w + tonumber(ARGV[3])
local blocked = tonumber(redis.call('HGET', KEYS[2], 'blocked_until') or '0')
if blocked > now then return blocked - now end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - w)
if redis.call('ZCARD', KEYS[1]) < q then
  redis.call('ZADD', KEYS[1], now, ARGV[4])
  redis.call('PEXPIRE', KEYS[1], w)
  redis.call('HINCRBY', KEYS[2], 'granted', 1)
  return 0
end
-- the grant whose expiry brings the window under the quota (the quota may have shrunk since)
local n = redis.call('ZCARD', KEYS[1])
local oldest = redis.call('ZRANGE', KEYS[1], n - q, n - q, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + w - now)
"""

# What a response said about the budget. KEYS: cfg. ARGV: quota, window ms, block ms ('' = unknown / none).
BUDGET_OBSERVE = """
if ARGV[1] ~= '' and ARGV[2] ~= '' then
  redis.call('HSET', KEYS[1], 'quota', ARGV[1], 'window_ms', ARGV[2])
end
if ARGV[3] ~= '' then
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  local untl = now + tonumber(ARGV[3])
  if untl > tonumber(redis.call('HGET', KEYS[1], 'blocked_until') or '0') then
    redis.call('HSET', KEYS[1], 'blocked_until', untl)
    redis.call('HINCRBY', KEYS[1], 'blocks', 1)
  end
end
return 1
"""


class Scripts:
    """The scripts registered on one client (redis-py reloads them after a Redis restart: NOSCRIPT)."""

    def __init__(self, client: redis.Redis) -> None:
        self.join_run: Script = client.register_script(JOIN_RUN)
        self.push: Script = client.register_script(PUSH)
        self.pop: Script = client.register_script(POP)
        self.release: Script = client.register_script(RELEASE)
        self.reclaim: Script = client.register_script(RECLAIM)
        self.finish: Script = client.register_script(FINISH)
        self.claim_seed: Script = client.register_script(CLAIM_SEED)
        self.budget_take: Script = client.register_script(BUDGET_TAKE)
        self.budget_observe: Script = client.register_script(BUDGET_OBSERVE)
