#!/usr/bin/env bash
# Several faqtory instances on one PostgreSQL database behind nginx, on this machine without
# containers: what docker-compose.yml runs, for benchmarks and fault runs.
#
#   bench/instances.sh [INSTANCES] [-- COMMAND…]
#
# Creates a fresh database on $POSTGRES (default postgres://postgres@127.0.0.1), starts INSTANCES
# (default 2) release servers on ports 18101… with one secret key and a data directory each,
# and nginx (Debian's package, installed if missing) on $PORT (default 18100) with
# deploy/nginx.conf's settings. With a COMMAND, runs it with FAQTORY_PROXY_URL,
# FAQTORY_INSTANCE_URLS, FAQTORY_INSTANCE_PIDS and FAQTORY_DATABASE_URL set and tears everything
# down after; without one, waits for Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

INSTANCES=${1:-2}
[[ $# -ge 1 ]] && shift
[[ ${1:-} == "--" ]] && shift
POSTGRES=${POSTGRES:-postgres://postgres@127.0.0.1}
PORT=${PORT:-18100}
SECRET="benchmark-secret-key-not-for-production-use-0123456789"

command -v nginx >/dev/null || { echo "instances: installing nginx"; apt-get install -y -qq nginx-light >/dev/null; }
cargo build --release --quiet --bin faqtory
BIN=$PWD/target/release/faqtory

WORK=$(mktemp -d /tmp/faqtory-instances.XXXXXX)
DB_NAME="faqtory_instances_$$"
PIDS=()
cleanup() {
    [[ -f "$WORK/nginx.pid" ]] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    psql "$POSTGRES/postgres" -qc "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT
psql "$POSTGRES/postgres" -qc "CREATE DATABASE $DB_NAME" >/dev/null

export FAQTORY_DATABASE_URL="$POSTGRES/$DB_NAME" FAQTORY_SECRET_KEY="$SECRET"
export FAQTORY_TRUSTED_PROXIES=127.0.0.1 FAQTORY_BASE_URL="http://127.0.0.1:$PORT"
export FAQTORY_RATE_LIMITS=${FAQTORY_RATE_LIMITS:-off} RUST_LOG=${RUST_LOG:-warn}
"$BIN" --data-dir "$WORK/migrate" migrate >/dev/null

UPSTREAMS=""
for n in $(seq 1 "$INSTANCES"); do
    port=$((PORT + n))
    FAQTORY_DATA_DIR="$WORK/data-$n" FAQTORY_BIND="127.0.0.1:$port" \
        "$BIN" serve >"$WORK/instance-$n.log" 2>&1 &
    PIDS+=($!)
    UPSTREAMS+="        server 127.0.0.1:$port max_fails=1 fail_timeout=2s;"$'\n'
done

# deploy/nginx.conf with local ports, a pid file and logs of its own, in the foreground.
awk -v upstreams="$UPSTREAMS" -v port="$PORT" -v work="$WORK" '
    /server faqtory-[0-9]+:8080/ { if (!done) { printf "%s", upstreams; done = 1 } next }
    /^worker_processes/ { print; print "pid " work "/nginx.pid;"; print "error_log " work "/nginx-error.log;"; print "daemon off;"; next }
    /^http \{/ { print; print "    access_log off;"; print "    client_body_temp_path " work "/body;"; print "    proxy_temp_path " work "/proxy;"; next }
    /listen 80;/ { print "        listen 127.0.0.1:" port ";"; next }
    { print }
' deploy/nginx.conf >"$WORK/nginx.conf"
nginx -c "$WORK/nginx.conf" -p "$WORK" &
PIDS+=($!)

for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
    sleep 0.1
done
for n in $(seq 1 "$INSTANCES"); do
    curl -fs "http://127.0.0.1:$((PORT + n))/readyz" >/dev/null || { echo "instance $n is not ready; see $WORK/instance-$n.log" >&2; exit 1; }
done
export FAQTORY_PROXY_URL="http://127.0.0.1:$PORT"
export FAQTORY_INSTANCE_PIDS="${PIDS[*]:0:$INSTANCES}"
FAQTORY_INSTANCE_URLS=""
for n in $(seq 1 "$INSTANCES"); do FAQTORY_INSTANCE_URLS+="http://127.0.0.1:$((PORT + n)) "; done
export FAQTORY_INSTANCE_URLS=${FAQTORY_INSTANCE_URLS% }
echo "$INSTANCES instances behind nginx on $FAQTORY_PROXY_URL (database $DB_NAME, pids $FAQTORY_INSTANCE_PIDS)"
if [[ $# -ge 1 ]]; then
    "$@"
else
    echo "Ctrl-C stops them."
    wait
fi
