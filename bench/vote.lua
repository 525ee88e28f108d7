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

-- Each voter comes from a network of its own, as an audience does; the server believes it only
-- when run.sh trusts this machine as a reverse proxy (see ONE_NETWORK there).
function request()
  local voter = math.random(#cookies)
  local id = ids[math.random(#ids)]
  local address = string.format("10.%d.%d.7", math.floor(voter / 256) % 256, voter % 256)
  return wrk.format("POST", "/api/v1/questions/" .. id .. "/vote",
    { ["Content-Type"] = "application/json", ["Cookie"] = cookies[voter],
      ["X-Forwarded-For"] = address }, nil)
end

dofile("bench/report.lua")
