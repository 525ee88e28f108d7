# Sourced by the bench scripts: a database and a release `faqtory serve` of their own.
#
#   bench_database WORK [SERVER_URL]   SQLite in WORK/data, or a fresh database on the PostgreSQL
#                                      server SERVER_URL (dropped by bench_stop); sets BACKEND
#   bench_serve SLUG TITLE LOG         migrates, creates the event, starts the server on $PORT in
#                                      the background (SERVER), and waits until $BASE answers
#   bench_stop                         stops the server and drops the PostgreSQL database
#
# The caller sets BIN, PORT and BASE, and exports any other FAQTORY_* setting beforehand.

SERVER=
BENCH_DROP=

bench_database() {
    local work=$1 server_url=${2:-}
    export FAQTORY_DATA_DIR="$work/data"
    if [[ -n $server_url ]]; then
        server_url=${server_url%/}
        local name="faqtory_bench_$$"
        psql "$server_url/postgres" -qc "CREATE DATABASE $name" >/dev/null
        BENCH_DROP="$server_url/postgres|$name"
        export FAQTORY_DATABASE_URL="$server_url/$name"
        BACKEND=postgres
    else
        export FAQTORY_DATABASE_URL="sqlite://$work/data/faqtory.db"
        BACKEND=sqlite
    fi
}

bench_serve() {
    local slug=$1 title=$2 log=$3
    export FAQTORY_BIND="127.0.0.1:$PORT" RUST_LOG=${RUST_LOG:-warn}
    "$BIN" migrate >/dev/null
    "$BIN" event create --slug "$slug" --title "$title" >/dev/null
    "$BIN" serve >"$log" 2>&1 &
    SERVER=$!
    for _ in $(seq 1 100); do
        curl -fs "$BASE/healthz" >/dev/null 2>&1 && break
        sleep 0.1
    done
}

bench_stop() {
    if [[ -n $SERVER ]]; then
        kill "$SERVER" 2>/dev/null || true
        wait "$SERVER" 2>/dev/null || true
        SERVER=
    fi
    if [[ -n $BENCH_DROP ]]; then
        psql "${BENCH_DROP%|*}" -qc "DROP DATABASE IF EXISTS ${BENCH_DROP#*|} WITH (FORCE)" >/dev/null || true
        BENCH_DROP=
    fi
}
