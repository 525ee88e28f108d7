#!/usr/bin/env bash
# Fault run (issue "Thousands in the room", part 5): the disk of a SQLite instance fills up.
# Starts the release server with its data directory on a small tmpfs, asks questions until the
# disk is full, then checks that writes are refused with 503 + Retry-After (never 500), that reads
# go on, that every question acknowledged is there, and that writes work again once the tmpfs is
# made larger. Prints what it saw; asserts nothing. Needs root (it mounts the tmpfs).
#
#   bench/disk_full.sh
#
# Environment: SIZE_MB (the tmpfs, default 8), PORT (18090).
set -euo pipefail
cd "$(dirname "$0")/.."

[[ $(id -u) == 0 ]] || { echo "disk_full: needs root to mount a tmpfs" >&2; exit 1; }
SIZE_MB=${SIZE_MB:-8}
PORT=${PORT:-18090}
BASE="http://127.0.0.1:$PORT"

cargo build --release --quiet --bin faqtory
BIN=target/release/faqtory

WORK=$(mktemp -d /tmp/faqtory-disk-full.XXXXXX)
LOG=$(mktemp /tmp/faqtory-disk-full-server.XXXXXX)
mount -t tmpfs -o "size=${SIZE_MB}m" tmpfs "$WORK"
source bench/common/serve.sh
cleanup() {
    bench_stop
    umount "$WORK" 2>/dev/null || true
    rmdir "$WORK" 2>/dev/null || true
    rm -f "$LOG"
}
trap cleanup EXIT

bench_database "$WORK"
export FAQTORY_SECRET_KEY="benchmark-secret-key-not-for-production-use-0123456789"
export FAQTORY_RATE_LIMITS=off FAQTORY_MODEL=off
bench_serve full "Disk full" "$LOG"

ask() { # number → prints "status id"
    local padding body response
    padding=$(printf 'the same words again and again %.0s' $(seq 1 25))
    body="Question $1 asked while the disk fills: $padding"
    response=$(curl -s -w '\n%{http_code}' -X POST -H 'content-type: application/json' \
        -d "{\"body\": \"$body\"}" "$BASE/api/v1/events/full/questions")
    local status=${response##*$'\n'}
    local id
    id=$(sed -nE 's/.*"id":([0-9]+).*/\1/p' <<<"${response%$'\n'*}" | head -1)
    echo "$status ${id:-}"
}

acknowledged=()
refused=0
other=0
n=0
started=$(date +%s)
while (( refused < 20 )); do
    n=$((n + 1))
    read -r status id < <(ask "$n")
    case $status in
        201) acknowledged+=("$id"); refused=0 ;;
        503) refused=$((refused + 1)) ;;
        *) other=$((other + 1)); echo "unexpected status $status on question $n" ;;
    esac
    (( n < 200000 )) || break
done
echo "disk full after $(( $(date +%s) - started )) s: ${#acknowledged[@]} questions acknowledged, then 20 refusals in a row; other statuses: $other"

# Space comes and goes as the write-ahead log is checkpointed: show one refusal as a client sees it.
for attempt in $(seq 1 50); do
    refusal=$(curl -s -i -X POST -H 'content-type: application/json' \
        -d "{\"body\": \"One more question while the disk is full, try $attempt?\"}" \
        "$BASE/api/v1/events/full/questions" | tr -d '\r')
    if [[ $(head -1 <<<"$refusal") == *503* ]]; then
        echo "a refused write: $(head -1 <<<"$refusal"); $(grep -i '^retry-after' <<<"$refusal"); $(tail -1 <<<"$refusal")"
        break
    fi
done
echo "a read now: $(curl -s -o /dev/null -w '%{http_code}' "$BASE/api/v1/events/full/questions") (questions list), $(curl -s -o /dev/null -w '%{http_code}' "$BASE/e/full") (event page)"

missing() { # how many acknowledged questions the event's list lacks
    local listed missing=0
    listed=$(curl -s "$BASE/api/v1/events/full/questions" | grep -oE '"id":[0-9]+' | sed 's/"id"://' | sort -u)
    for id in "${acknowledged[@]}"; do
        grep -qx "$id" <<<"$listed" || missing=$((missing + 1))
    done
    echo "$missing"
}
echo "acknowledged questions missing while full: $(missing) of ${#acknowledged[@]}"

mount -o "remount,size=$((SIZE_MB * 4))m" "$WORK"
recovered_at=$(date +%s)
status=503
for _ in $(seq 1 300); do
    read -r status id < <(ask "after")
    [[ $status == 201 ]] && break
    sleep 0.1
done
echo "after the disk grew: a write answered $status after $(( $(date +%s) - recovered_at )) s"

echo "acknowledged questions missing after recovery: $(missing) of ${#acknowledged[@]}"
echo "server log lines at error level: $(grep -c ERROR "$LOG" || true); what they say:"
sed -E 's/\x1b\[[0-9;]*m//g' "$LOG" | grep ERROR | sed -E 's/.*ERROR //' | cut -c1-160 | sort | uniq -c | sort -rn | head -5
