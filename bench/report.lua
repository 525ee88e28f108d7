-- Shared by the wrk scripts: one machine-readable RESULT line per run.
function done(summary, latency, requests)
  local p = function(q) return latency:percentile(q) / 1000.0 end
  local seconds = summary.duration / 1e6
  local socket_errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT requests=%d seconds=%.3f rps=%.1f p50_ms=%.3f p99_ms=%.3f non2xx=%d socket_errors=%d\n",
    summary.requests, seconds, summary.requests / seconds, p(50), p(99), summary.errors.status, socket_errors))
end
