-- Sign-ins (argon2id) with the accounts listed in BENCH_ACCOUNTS (one email per line,
-- all with the password BENCH_PASSWORD), in turn, each from its own client address
-- (X-Forwarded-For; the service trusts 127.0.0.1 as a proxy in this run), as people
-- signing in from their own offices would.
dofile("benches/load/common.lua")

local accounts = {}
local turn = 0

function init(args)
  for _, row in ipairs(read_rows(os.getenv("BENCH_ACCOUNTS"), true)) do table.insert(accounts, row[1]) end
end

function request()
  turn = turn % #accounts + 1
  local body = string.format('{"email":"%s","password":"%s"}', accounts[turn], os.getenv("BENCH_PASSWORD"))
  return wrk.format("POST", "/api/v1/auth/login", {
    ["Content-Type"] = "application/json",
    ["X-Forwarded-For"] = string.format("10.%d.%d.1", thread_index, turn),
  }, body)
end

function response(status, headers, body)
  if status ~= 200 then counts.non2xx = counts.non2xx + 1 end
end
