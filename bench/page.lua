-- wrk script: a returning reader (one of the seeded voters, none of whom voted) loads a page, as a
-- browser does: brotli or gzip accepted. The page's path is the script's first argument.
local cookies = {}
local path

function init(args)
  path = args[1]
  for line in io.lines(args[2] .. "/voter_cookies.txt") do
    if line ~= "" then cookies[#cookies + 1] = line end
  end
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 100000)
end

function request()
  return wrk.format("GET", path,
    { ["Accept-Encoding"] = "br, gzip", ["Cookie"] = cookies[math.random(#cookies)] }, nil)
end

dofile("bench/report.lua")
