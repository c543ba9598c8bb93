-- Shared by the wrk scenarios (loaded with dofile): the bearer token from the
-- environment, per-thread counters, and one JSON line at the end that the harness reads.
token = os.getenv("BENCH_TOKEN") or ""
counts = { c412 = 0, non2xx = 0 }

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_index", #threads)
  thread:set("thread_count", tonumber(os.getenv("BENCH_THREADS") or "1"))
end

-- Lines of a file of numbers ("12" or "12 3"), for this thread only when `share` is set.
function read_rows(path, share)
  local rows, k = {}, 0
  for line in io.lines(path) do
    local fields = {}
    for n in line:gmatch("%S+") do table.insert(fields, n) end
    if #fields > 0 and (not share or k % thread_count == thread_index - 1) then
      table.insert(rows, fields)
    end
    k = k + 1
  end
  return rows
end

function headers(extra)
  local h = { ["Authorization"] = "Bearer " .. token, ["Accept"] = "application/json" }
  for k, v in pairs(extra or {}) do h[k] = v end
  return h
end

function done(summary, latency, requests)
  local c412, non2xx = 0, 0
  for _, thread in ipairs(threads) do
    local c = thread:get("counts")
    c412 = c412 + (c.c412 or 0)
    non2xx = non2xx + (c.non2xx or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"duration_us":%d,"bytes":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,' ..
    '"socket_errors":%d,"status_errors":%d,"timeouts":%d,"status_412":%d,"counted_non2xx":%d}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.connect + e.read + e.write, e.status, e.timeout, c412, non2xx))
end
