-- Status updates with If-Match: each thread takes its own share of the actions (file
-- BENCH_ACTIONS, lines "id version") and goes round them, keeping each one's ETag from
-- the last answer, so that no two connections race on one action. A 412 is counted
-- apart; that action's ETag is then read again with a GET before it is updated again.
dofile("benches/load/common.lua")

local actions, etags, stale = {}, {}, {}
local next_index, sequence = 0, 0
local statuses = { "in_progress", "in_preparation", "in_progress", "completed" }

function init(args)
  for _, row in ipairs(read_rows(os.getenv("BENCH_ACTIONS"), true)) do
    table.insert(actions, row[1])
    etags[row[1]] = '"' .. row[2] .. '"'
  end
end

function request()
  next_index = next_index % #actions + 1
  local id = actions[next_index]
  if stale[id] then
    return wrk.format("GET", "/api/v1/actions/" .. id, headers())
  end
  sequence = sequence + 1
  local body = string.format('{"status":"%s","note":"Charge %d, thread %d"}',
    statuses[sequence % #statuses + 1], sequence, thread_index)
  return wrk.format("POST", "/api/v1/actions/" .. id .. "/status-updates",
    headers({ ["If-Match"] = etags[id], ["Content-Type"] = "application/json" }), body)
end

function response(status, headers, body)
  local etag = headers["ETag"] or headers["etag"]
  if status == 201 then
    local id = body:match('"action":{"id":(%d+)')
    if id then etags[id] = etag end
  elseif status == 200 then
    local id = body:match('^{"id":(%d+)')
    if id then etags[id] = etag; stale[id] = nil end
  elseif status == 412 then
    counts.c412 = counts.c412 + 1
    local id = body:match("/actions/(%d+)")
    if id then stale[id] = true end
  else
    counts.non2xx = counts.non2xx + 1
  end
end
