#!/usr/bin/env bash
# Load benchmark (issue: foundation). Starts the release server on a fresh database, seeds one
# event with 1,000 questions and 10,000 voters, then drives it with wrk at 64 connections:
# (a) GET /healthz, (b) votes by random voters on random questions. Prints requests/s, p50 and
# p99 latency, and the votes/healthz ratio from the same run. Asserts nothing.
#
#   bench/run.sh                                   # SQLite in a fresh temporary data directory
#   bench/run.sh postgres://postgres@127.0.0.1     # PostgreSQL: a fresh database on that server
#   bench/instances.sh 2 -- bench/run.sh           # two instances on PostgreSQL behind nginx
#
# Environment: DURATION (seconds per phase, default 10), CONNECTIONS (64), THREADS (wrk threads, 2),
# QUESTIONS (1000), VOTERS (10000), PORT (18080), ONE_NETWORK (1: every vote comes from this
# machine's one address, so every question's votes make a burst that is flagged as automated;
# default: each voter from a network of its own, passed as X-Forwarded-For by a trusted proxy, as
# an audience behind a reverse proxy arrives).
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
QUESTIONS=${QUESTIONS:-1000}
VOTERS=${VOTERS:-10000}
PORT=${PORT:-18080}
SECRET="benchmark-secret-key-not-for-production-use-0123456789"
BASE="http://127.0.0.1:$PORT"

command -v wrk >/dev/null || { echo "bench: installing wrk"; apt-get install -y -qq wrk >/dev/null; }

cargo build --release --quiet --bin faqtory --example bench_seed
BIN=target/release/faqtory
SEED=target/release/examples/bench_seed

WORK=$(mktemp -d /tmp/faqtory-bench.XXXXXX)
source bench/common/serve.sh
trap 'bench_stop; rm -rf "$WORK"' EXIT

if [[ -n ${FAQTORY_PROXY_URL:-} ]]; then
    # Under bench/instances.sh: its instances behind nginx, on its database, with the same key.
    BASE=$FAQTORY_PROXY_URL
    INSTANCE_URLS=$FAQTORY_INSTANCE_URLS
    PIDS=$FAQTORY_INSTANCE_PIDS
    BACKEND="postgres, $(wc -w <<<"$INSTANCE_URLS") instances behind nginx"
    FAQTORY_DATA_DIR="$WORK/cli" "$BIN" event create --slug bench --title "Benchmark" >/dev/null
else
    bench_database "$WORK" "${1:-}"
    export FAQTORY_SECRET_KEY="$SECRET" FAQTORY_RATE_LIMITS=off
    [[ ${ONE_NETWORK:-0} == 1 ]] || export FAQTORY_TRUSTED_PROXIES=127.0.0.1/32
    bench_serve bench "Benchmark" "$WORK/server.log"
    INSTANCE_URLS=$BASE
    PIDS=$SERVER
fi

"$SEED" "$BASE" bench "$QUESTIONS" "$VOTERS" "$SECRET" "$WORK/seed"

run() { # name, wrk arguments…
    local name=$1; shift
    wrk --threads "$THREADS" --connections "$CONNECTIONS" --duration "${DURATION}s" --latency "$@" \
        | grep '^RESULT' | sed "s/^RESULT/$name/"
}

HEALTH=$(run healthz --script bench/healthz.lua "$BASE/healthz")
VOTES=$(run votes --script bench/vote.lua "$BASE" -- "$WORK/seed")

echo "backend=$BACKEND connections=$CONNECTIONS duration=${DURATION}s questions=$QUESTIONS voters=$VOTERS one_network=${ONE_NETWORK:-0}"
echo "$HEALTH"
echo "$VOTES"
rps() { sed -E 's/.* rps=([0-9.]+).*/\1/' <<<"$1"; }
awk -v v="$(rps "$VOTES")" -v h="$(rps "$HEALTH")" 'BEGIN { printf "ratio votes/healthz=%.3f\n", v / h }'
for pid in $PIDS; do
    echo "server $pid peak RSS=$(( $(grep VmHWM "/proc/$pid/status" | awk '{print $2}') / 1024 )) MiB"
done
metric() { # name → the sum over the instances
    for url in $INSTANCE_URLS; do curl -fs "$url/metrics"; done | awk -v name="$1" '$1 == name {sum += $2} END {print sum + 0}'
}
echo "votes acknowledged by the server=$(metric faqtory_votes_cast_total)"
awk -v b="$(metric faqtory_vote_batch_size_count)" -v v="$(metric faqtory_vote_batch_size_sum)" 'BEGIN { if (b > 0) printf "votes per transaction: %.1f (%d transactions)\n", v / b, b }'
