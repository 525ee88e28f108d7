-- wrk script: each request is a vote by a random one of the seeded voters on a random question.
local cookies = {}
local ids = {}

local function read_lines(path, into)
  for line in io.lines(path) do
    if line ~= "" then into[#into + 1] = line end
  end
end

function init(args)
  local dir = args[1]
  read_lines(dir .. "/voter_cookies.txt", cookies)
  read_lines(dir .. "/question_ids.txt", ids)
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 100000)
end

function request()
  local cookie = cookies[math.random(#cookies)]
  local id = ids[math.random(#ids)]
  return wrk.format("POST", "/api/v1/questions/" .. id .. "/vote",
    { ["Content-Type"] = "application/json", ["Cookie"] = cookie }, nil)
end

-- Count non-2xx answers so a run with refusals is visible.
local errors = 0
function response(status, headers, body)
  if status ~= 200 then errors = errors + 1 end
end

function done(summary, latency, requests)
  local p = function(q) return latency:percentile(q) / 1000.0 end
  io.write(string.format("RESULT requests=%d seconds=%.3f rps=%.1f p50_ms=%.3f p99_ms=%.3f non2xx=%d socket_errors=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    p(50), p(99), summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
