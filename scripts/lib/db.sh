# shellcheck shell=bash
# Database helpers for scripts/test, scripts/demo and .ci/run. Source, then:
#
#   db_start            # reuse $DATABASE_URL, or start a throwaway cluster
#   trap db_stop EXIT   # stops only a cluster that db_start started
#   db_keep             # instead of db_stop: leave it running (scripts/demo --keep)
#
# Opt-in for benchmarks (tests leave both unset): LANGGRAPH_PG_PRELOAD adds
# libraries to shared_preload_libraries (e.g. pg_stat_statements) and
# LANGGRAPH_PG_CONF is appended to postgresql.conf as is.
#
# Exports DATABASE_URL and SQITCH_TARGET. For a throwaway cluster also PGHOST,
# PGPORT, PGUSER, PGDATABASE, and LANGGRAPH_PG_CTL_DATA / LANGGRAPH_PG_BIN /
# LANGGRAPH_PG_CTL_USER so Python tests can `pg_ctl restart` the server (run it
# as LANGGRAPH_PG_CTL_USER when that is non-empty: postgres refuses root).

DB_REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
: "${LANGGRAPH_TEST_DB:=langgraph_test}"

# Set only while a cluster we started is running; db_stop acts on nothing else.
_db_cluster_dir=""

_db_log() { printf '%s\n' "db: $*" >&2; }

# Newest server under /usr/lib/postgresql (Debian layout), else whatever
# initdb is on PATH (Homebrew, source builds).
_db_find_bin() {
    if [[ -n "${LANGGRAPH_PG_BIN:-}" ]]; then
        printf '%s\n' "$LANGGRAPH_PG_BIN"
        return
    fi
    local major="${PGMAJOR:-}"
    if [[ -z "$major" && -d /usr/lib/postgresql ]]; then
        major="$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/initdb' \
            | awk -F/ '{print $5}' | sort -V | tail -n 1)"
    fi
    if [[ -n "$major" && -x "/usr/lib/postgresql/$major/bin/initdb" ]]; then
        printf '%s\n' "/usr/lib/postgresql/$major/bin"
    elif command -v initdb >/dev/null 2>&1; then
        dirname "$(command -v initdb)"
    else
        _db_log "no initdb found; run scripts/bootstrap or set DATABASE_URL"
        return 1
    fi
}

# postgres refuses to run as root, so as root the server binaries run as the
# postgres OS user; cd first because root's cwd may be unreadable to it.
_db_as_owner() {
    if [[ $EUID -eq 0 ]]; then
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

# The data dir must be writable by the server user and short enough for a
# Unix socket path (about 107 bytes), so fall back to /tmp when the repo is
# under a directory postgres cannot traverse (e.g. /root) or is deeply nested.
_db_make_cluster_dir() {
    # A kept cluster is named kept-<pid>, so no later run reaps it as stale.
    local kind=cluster
    if [[ "${LANGGRAPH_DB_KEEP:-0}" == 1 ]]; then kind=kept; fi
    local dir="$DB_REPO_ROOT/.pgdata/$kind-$$"
    _db_reap_stale_clusters
    if (( ${#dir} <= 80 )) && mkdir -p "$DB_REPO_ROOT/.pgdata" 2>/dev/null \
        && rm -rf "$dir" && mkdir -m 700 "$dir" 2>/dev/null; then
        if [[ $EUID -eq 0 ]]; then chown postgres: "$dir"; fi
        if ! _db_as_owner test -w "$dir"; then
            rm -rf "$dir"
            dir=""
        fi
    else
        dir=""
    fi
    if [[ -z "$dir" ]]; then
        dir="$(mktemp -d "${TMPDIR:-/tmp}/langgraph-pg.XXXXXX")"
        if [[ $EUID -eq 0 ]]; then chown postgres: "$dir"; fi
    fi
    printf '%s\n' "$dir"
}

# A run killed with SIGKILL leaves its cluster behind; the directory name
# carries the owning shell's pid, so anything whose shell is gone is garbage.
_db_reap_stale_clusters() {
    local dir pid
    for dir in "$DB_REPO_ROOT"/.pgdata/cluster-*; do
        [[ -d "$dir" ]] || continue
        pid="${dir##*/cluster-}"
        [[ "$pid" =~ ^[0-9]+$ ]] || continue
        kill -0 "$pid" 2>/dev/null && continue
        if [[ -f "$dir/postmaster.pid" ]]; then
            _db_as_owner "$(_db_find_bin)/pg_ctl" stop -D "$dir" -m immediate -s >/dev/null 2>&1 || true
        fi
        rm -rf "$dir"
    done
}

_db_free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# postgres://  and postgresql://  URLs become Sqitch's db:pg:// form.
_db_sqitch_target() {
    local url="$1"
    case "$url" in
        postgres://* | postgresql://*) printf 'db:pg://%s\n' "${url#*://}" ;;
        db:pg:*) printf '%s\n' "$url" ;;
        *) _db_log "DATABASE_URL must start with postgres:// or postgresql://"; return 1 ;;
    esac
}

_db_use_existing() {
    export DATABASE_URL
    SQITCH_TARGET="$(_db_sqitch_target "$DATABASE_URL")"
    export SQITCH_TARGET
    # pgTAP belongs to test databases only, so it is created here and never by
    # a Sqitch change; a managed database may forbid it, which only the
    # pgTAP step needs.
    if ! psql "$DATABASE_URL" -X -q -v ON_ERROR_STOP=1 \
        -c 'CREATE EXTENSION IF NOT EXISTS pgtap' >/dev/null 2>&1; then
        _db_log "warning: could not CREATE EXTENSION pgtap in \$DATABASE_URL; pg_prove will fail"
    fi
}

db_start() {
    if [[ -n "$_db_cluster_dir" ]]; then
        return 0
    fi
    if [[ -n "${DATABASE_URL:-}" ]]; then
        _db_use_existing
        return
    fi

    local bin dir port attempt output server_conf="" use_cron=1
    bin="$(_db_find_bin)" || return 1
    if [[ ! -f "$("$bin/pg_config" --pkglibdir 2>/dev/null)/pg_cron.so" ]]; then
        _db_log "warning: pg_cron is not installed for $bin; tests that schedule jobs will fail"
        use_cron=0
    fi
    dir="$(_db_make_cluster_dir)" || return 1
    _db_cluster_dir="$dir"

    if ! output="$(_db_as_owner "$bin/initdb" -D "$dir" -U postgres -A trust -E UTF8 \
        --no-sync 2>&1)"; then
        printf '%s\n' "$output" >&2
        return 1
    fi

    local preload="${LANGGRAPH_PG_PRELOAD:-}"
    if (( use_cron )); then
        preload="pg_cron${preload:+,$preload}"
        server_conf="cron.database_name = '$LANGGRAPH_TEST_DB'"
    fi
    if [[ -n "$preload" ]]; then
        server_conf="shared_preload_libraries = '$preload'
$server_conf"
    fi
    # Durability is pointless for a cluster that is deleted after the run.
    _db_as_owner tee -a "$dir/postgresql.conf" >/dev/null <<EOF

# scripts/lib/db.sh: throwaway test cluster
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
$server_conf
${LANGGRAPH_PG_CONF:-}
EOF

    # Another process can grab the port between probing and binding it. The
    # port goes into postgresql.conf (the last line wins) rather than onto the
    # pg_ctl command line so that a bare `pg_ctl restart -D` keeps it.
    for attempt in 1 2 3; do
        port="$(_db_free_port)"
        printf 'port = %s\n' "$port" | _db_as_owner tee -a "$dir/postgresql.conf" >/dev/null
        if _db_as_owner "$bin/pg_ctl" start -w -s -D "$dir" -l "$dir/server.log" >/dev/null 2>&1; then
            break
        fi
        if (( attempt == 3 )); then
            _db_log "server failed to start; tail of $dir/server.log:"
            tail -n 20 "$dir/server.log" >&2 || true
            return 1
        fi
    done

    export PGHOST=127.0.0.1 PGPORT="$port" PGUSER=postgres PGDATABASE="$LANGGRAPH_TEST_DB"
    export DATABASE_URL="postgresql://postgres@127.0.0.1:$port/$LANGGRAPH_TEST_DB"
    export SQITCH_TARGET="db:pg://postgres@127.0.0.1:$port/$LANGGRAPH_TEST_DB"
    export LANGGRAPH_PG_CTL_DATA="$dir" LANGGRAPH_PG_BIN="$bin"
    LANGGRAPH_PG_CTL_USER=""
    if [[ $EUID -eq 0 ]]; then LANGGRAPH_PG_CTL_USER=postgres; fi
    export LANGGRAPH_PG_CTL_USER

    "$bin/psql" -X -q -v ON_ERROR_STOP=1 -d postgres \
        -c "CREATE DATABASE $LANGGRAPH_TEST_DB" >/dev/null
    "$bin/psql" -X -q -v ON_ERROR_STOP=1 -c 'CREATE EXTENSION pgtap' >/dev/null
    if (( use_cron )); then
        "$bin/psql" -X -q -v ON_ERROR_STOP=1 -c 'CREATE EXTENSION pg_cron' >/dev/null
    fi
}

# Forget the cluster without stopping it; prints how to stop it later.
db_keep() {
    local dir="$_db_cluster_dir"
    [[ -n "$dir" ]] || return 0
    _db_cluster_dir=""
    local stop="$LANGGRAPH_PG_BIN/pg_ctl stop -D $dir"
    if [[ $EUID -eq 0 ]]; then stop="runuser -u postgres -- $stop"; fi
    printf '%s\n' "$stop && rm -rf $dir"
}

db_stop() {
    local dir="$_db_cluster_dir"
    [[ -n "$dir" ]] || return 0
    _db_cluster_dir=""
    if [[ -f "$dir/postmaster.pid" ]]; then
        _db_as_owner "$LANGGRAPH_PG_BIN/pg_ctl" stop -D "$dir" -m fast -w -s >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    rmdir "$DB_REPO_ROOT/.pgdata" 2>/dev/null || true
}
