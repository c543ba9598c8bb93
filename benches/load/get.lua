-- GET one of the paths listed in BENCH_PATHS (one per line), at random; extra request
-- headers in BENCH_HEADER ("Name: value").
dofile("benches/load/common.lua")

local paths = {}
local extra = {}

function init(args)
  for line in io.lines(os.getenv("BENCH_PATHS")) do table.insert(paths, line) end
  local header = os.getenv("BENCH_HEADER")
  if header and header ~= "" then
    local name, value = header:match("^([^:]+):%s*(.*)$")
    extra[name] = value
  end
  math.randomseed(thread_index * 7919)
end

function request()
  return wrk.format("GET", paths[math.random(#paths)], headers(extra))
end
