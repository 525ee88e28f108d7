#!/usr/bin/env bash
# Pages rendered once, served many times (issue "Thousands in the room"). Starts the release
# server on a fresh database, seeds one event with QUESTIONS questions (a fifth of them answered),
# then drives it with wrk: (a) GET /healthz, (b) the event page as returning readers with
# compression accepted, (c) the same with no cookie at all (a first visit: new cookies every time),
# (d) an FAQ entry.
# Prints requests/s, p50 and p99 of each, the page/healthz ratios from the same run, the page's
# size plain and compressed, and how the pages were served (from memory or rendered). Asserts
# nothing.
#
#   bench/pages.sh                                 # SQLite in a fresh temporary data directory
#   bench/pages.sh postgres://postgres@127.0.0.1   # PostgreSQL: a fresh database on that server
#
# Environment: DURATION (seconds per phase, default 10), CONNECTIONS (64), THREADS (2),
# QUESTIONS (200), PORT (18081).
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
QUESTIONS=${QUESTIONS:-200}
PORT=${PORT:-18081}
SECRET="benchmark-secret-key-not-for-production-use-0123456789"
BASE="http://127.0.0.1:$PORT"

command -v wrk >/dev/null || { echo "bench: installing wrk"; apt-get install -y -qq wrk >/dev/null; }

cargo build --release --quiet --bin faqtory --example bench_seed
BIN=target/release/faqtory
SEED=target/release/examples/bench_seed

WORK=$(mktemp -d /tmp/faqtory-bench.XXXXXX)
source bench/common/serve.sh
trap 'bench_stop; rm -rf "$WORK"' EXIT

bench_database "$WORK" "${1:-}"
export FAQTORY_SECRET_KEY="$SECRET" FAQTORY_RATE_LIMITS=off
bench_serve bench "Benchmark" "$WORK/server.log"

"$SEED" "$BASE" bench "$QUESTIONS" 1000 "$SECRET" "$WORK/seed"
# A fifth answered, so the page carries answers as a real one does after a call.
echo "benchmark password 1234" | "$BIN" moderator add bench --password-stdin >/dev/null
TOKEN=$("$BIN" moderator token create bench --label bench)
awk 'NR % 5 == 0' "$WORK/seed/question_ids.txt" | while read -r id; do
    curl -fs -o /dev/null -X POST "$BASE/api/v1/questions/$id/answer" \
        -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \
        -d '{"answer_md": "Yes. The **short** answer: it depends on the load, and [the docs](https://example.org/docs) say how to measure it. The long answer came in the call, at the moment linked here."}'
done

PAGE=/e/bench
ANSWERED=$(awk 'NR == 5' "$WORK/seed/question_ids.txt")
ENTRY=$(curl -fsI "$BASE/faq/$ANSWERED" | awk 'tolower($1) == "location:" {print $2}' | tr -d '\r')
PLAIN=$(curl -fs "$BASE$PAGE" | wc -c)
BROTLI=$(curl -fs -H "Accept-Encoding: br" "$BASE$PAGE" | wc -c)
GZIP=$(curl -fs -H "Accept-Encoding: gzip" "$BASE$PAGE" | wc -c)

run() { # name, wrk arguments…
    local name=$1; shift
    wrk --threads "$THREADS" --connections "$CONNECTIONS" --duration "${DURATION}s" --latency "$@" \
        | grep '^RESULT' | sed "s/^RESULT/$name/"
}

HEALTH=$(run healthz --script bench/healthz.lua "$BASE/healthz")
RETURNING=$(run event_page --script bench/page.lua "$BASE" -- "$PAGE" "$WORK/seed")
FIRST_VISIT=$(run event_page_first_visit --script bench/healthz.lua -H "Accept-Encoding: br, gzip" "$BASE$PAGE")
FAQ_ENTRY=$(run faq_entry --script bench/healthz.lua -H "Accept-Encoding: br, gzip" "$BASE$ENTRY")
PEAK_KB=$(grep VmHWM "/proc/$SERVER/status" | awk '{print $2}')

echo "backend=$BACKEND connections=$CONNECTIONS duration=${DURATION}s questions=$QUESTIONS"
echo "event page bytes: plain=$PLAIN brotli=$BROTLI gzip=$GZIP"
echo "$HEALTH"
echo "$RETURNING"
echo "$FIRST_VISIT"
echo "$FAQ_ENTRY ($ENTRY)"
rps() { sed -E 's/.* rps=([0-9.]+).*/\1/' <<<"$1"; }
awk -v p="$(rps "$RETURNING")" -v f="$(rps "$FIRST_VISIT")" -v e="$(rps "$FAQ_ENTRY")" -v h="$(rps "$HEALTH")" \
    'BEGIN { printf "ratio event_page/healthz=%.3f first_visit/healthz=%.3f faq_entry/healthz=%.3f\n", p / h, f / h, e / h }'
echo "server peak RSS=$((PEAK_KB / 1024)) MiB"
curl -fs "$BASE/metrics" | grep '^faqtory_cached_pages_served_total' || true
