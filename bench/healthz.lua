-- wrk script for GET /healthz: only the shared RESULT line.
dofile("bench/report.lua")
