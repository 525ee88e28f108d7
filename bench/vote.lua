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

dofile("bench/report.lua")
