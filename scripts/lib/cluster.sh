# shellcheck shell=bash
# Helpers shared by scripts/sharded and scripts/ha: long-lived local clusters in a state
# directory, started and stopped by those scripts (scripts/lib/db.sh is the throwaway
# cluster of one test run). Progress goes to stderr: stdout carries only KEY=value lines.

CL_REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# Every host, port, user and database is named explicitly here; libpq's defaults from the
# caller's environment (scripts/test exports them for its own cluster) would leak into
# pg_autoctl, which takes them as its own.
unset PGHOST PGHOSTADDR PGPORT PGUSER PGDATABASE PGDATA PGSERVICE PGOPTIONS

cl_log() { printf '%s\n' "${CL_NAME:-cluster}: $*" >&2; }

cl_pgmajor() {
    local newest=""
    if [[ -d /usr/lib/postgresql ]]; then
        newest="$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/initdb' \
            | awk -F/ '{print $5}' | sort -V | tail -n 1)"
    fi
    printf '%s\n' "${PGMAJOR:-${newest:-15}}"
}

cl_bin() { printf '/usr/lib/postgresql/%s/bin\n' "$(cl_pgmajor)"; }

# Running the server tools as postgres when root, and a free port: db.sh's.
# shellcheck source=db.sh
source "$CL_REPO_ROOT/scripts/lib/db.sh"
cl_as_owner() { _db_as_owner "$@"; }
cl_free_port() { _db_free_port; }

# apt-get install, as scripts/bootstrap does, of the packages whose check fails:
#   cl_install 'test -f /usr/share/postgresql/15/extension/plproxy.control' postgresql-15-plproxy
cl_install() {
    local check="$1"
    shift
    if bash -c "$check" >/dev/null 2>&1; then
        return 0
    fi
    local -a sudo=()
    if [[ $EUID -ne 0 ]]; then
        if ! command -v sudo >/dev/null 2>&1; then
            cl_log "missing $*; install as root: apt-get install $*"
            return 1
        fi
        sudo=(sudo)
    fi
    cl_log "installing $*"
    local output
    if ! output="$("${sudo[@]}" apt-get update -qq 2>&1 \
        && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
            apt-get install -y -qq --no-install-recommends "$@" 2>&1)"; then
        printf '%s\n' "$output" >&2
        cl_log "failed: apt-get install $*"
        return 1
    fi
}

# A directory the postgres user can write, for a state dir under the repository.
cl_make_dir() {
    local dir="$1"
    mkdir -p "$dir"
    if [[ $EUID -eq 0 ]]; then chown postgres: "$dir"; fi
    chmod 700 "$dir"
}

# Wait until a server answers on 127.0.0.1:$1.
cl_wait_ready() {
    local port="$1" tries="${2:-60}"
    while (( tries-- > 0 )); do
        if "$(cl_bin)/pg_isready" -q -h 127.0.0.1 -p "$port"; then
            return 0
        fi
        sleep 0.5
    done
    cl_log "no server on port $port"
    return 1
}

cl_sqitch() {
    SQITCH_FULLNAME="${SQITCH_FULLNAME:-$(git -C "$CL_REPO_ROOT" config user.name 2>/dev/null || echo scripts)}" \
        SQITCH_EMAIL="${SQITCH_EMAIL:-$(git -C "$CL_REPO_ROOT" config user.email 2>/dev/null || echo scripts@localhost)}" \
        sqitch --quiet "$@"
}
