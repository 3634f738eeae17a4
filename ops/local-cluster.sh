#!/usr/bin/env bash
# A local PostgreSQL primary + 1 streaming replica for the DCB event store, built from the
# SYSTEM PostgreSQL binaries (Debian/Ubuntu: /usr/lib/postgresql/<version>/bin, the newest one
# is used) with initdb, ops/postgresql-primary.conf / ops/postgresql-replica.conf as include
# files, a physical replication slot, and pg_basebackup -R -S <slot> for the replica.
#
# Usage: ops/local-cluster.sh start|stop|status|destroy
#   start    build the cluster on first use, then start primary and replica; wait for streaming
#   stop     stop replica and primary (fast shutdown); the data is kept
#   status   server states, then replication state via psql (ops/sql/replication-status.sql and
#            replication-slots.sql on the primary, replica-lag.sql on the replica);
#            exit status 3 when a server is not running
#   destroy  stop, then delete CLUSTER_DIR
#
# Environment:
#   PG_BIN          directory with initdb, pg_ctl, psql, pg_basebackup (default: the newest
#                   /usr/lib/postgresql/*/bin, else the one of pg_config / initdb on PATH)
#   PRIMARY_PORT    default 55432
#   REPLICA_PORT    default 55433
#   CLUSTER_DIR     data, logs and settings of the cluster (default ./.local-cluster)
#   SHARED_BUFFERS  optional override of shared_buffers (the conf files say 1GB), e.g. 256MB
#
# The ports are fixed when the cluster is built (saved in CLUSTER_DIR/cluster.env); to change
# them, destroy and start again.
#
# Security: the servers listen on 127.0.0.1 only (no Unix sockets) with trust authentication
# for the superuser "postgres": any local user can connect. For development only.
#
# Root: PostgreSQL refuses to run as root, and so does this script. Run it as an ordinary user,
# e.g. as root:  su someuser -c 'ops/local-cluster.sh start'  (the user must be able to write
# CLUSTER_DIR and read ops/).
set -euo pipefail

readonly SUPERUSER=postgres
readonly SLOT=replica_1
readonly MARKER=.dcb-local-cluster

OPS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly OPS_DIR

die() {
    printf 'local-cluster.sh: %s\n' "$*" >&2
    exit 1
}

say() {
    printf '==> %s\n' "$*"
}

usage() {
    sed -n '/^# Usage:/,/^set -euo pipefail$/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'
}

# ---------------------------------------------------------------------------------------------
# Binaries

find_pg_bin() {
    if [ -n "${PG_BIN:-}" ]; then
        [ -x "$PG_BIN/initdb" ] || die "PG_BIN=$PG_BIN has no executable initdb"
        return
    fi
    local dir candidates=()
    for dir in /usr/lib/postgresql/*/bin; do
        if [ -x "$dir/initdb" ]; then
            candidates+=("$dir")
        fi
    done
    if [ "${#candidates[@]}" -gt 0 ]; then
        PG_BIN=$(printf '%s\n' "${candidates[@]}" | sort -V | tail -n 1)
    elif command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
        PG_BIN=$(pg_config --bindir)
    elif command -v initdb >/dev/null 2>&1; then
        PG_BIN=$(dirname "$(command -v initdb)")
    else
        die "no PostgreSQL server binaries found (looked in /usr/lib/postgresql/*/bin and PATH).
Install them (Debian: apt-get install postgresql-15) or set PG_BIN."
    fi
}

check_binaries() {
    local program
    for program in initdb pg_ctl psql pg_basebackup pg_isready; do
        [ -x "$PG_BIN/$program" ] || die "$PG_BIN/$program is missing (set PG_BIN to a complete bin directory)"
    done
}

# ---------------------------------------------------------------------------------------------
# Layout

init_paths() {
    local command=$1 requested=${CLUSTER_DIR:-./.local-cluster}
    if [ "$command" = start ]; then
        mkdir -p -- "$requested" || die "cannot create CLUSTER_DIR $requested"
    fi
    if [ -d "$requested" ]; then
        CLUSTER_DIR=$(cd -- "$requested" && pwd)
    else
        case "$requested" in
            /*) CLUSTER_DIR=$requested ;;
            *) CLUSTER_DIR=$PWD/$requested ;;
        esac
    fi
    PRIMARY_DATA=$CLUSTER_DIR/primary
    REPLICA_DATA=$CLUSTER_DIR/replica
    PRIMARY_LOG=$CLUSTER_DIR/primary.log
    REPLICA_LOG=$CLUSTER_DIR/replica.log
    CLUSTER_ENV=$CLUSTER_DIR/cluster.env
}

# Ports: from cluster.env once built, else from the environment (and then saved).
init_ports() {
    local wanted_primary=${PRIMARY_PORT:-55432} wanted_replica=${REPLICA_PORT:-55433}
    if [ -f "$CLUSTER_ENV" ]; then
        local saved_primary saved_replica
        saved_primary=$(sed -n 's/^PRIMARY_PORT=//p' "$CLUSTER_ENV")
        saved_replica=$(sed -n 's/^REPLICA_PORT=//p' "$CLUSTER_ENV")
        if [ -n "${PRIMARY_PORT:-}" ] && [ "$PRIMARY_PORT" != "$saved_primary" ]; then
            die "the cluster in $CLUSTER_DIR was built with PRIMARY_PORT=$saved_primary; destroy it to change ports"
        fi
        if [ -n "${REPLICA_PORT:-}" ] && [ "$REPLICA_PORT" != "$saved_replica" ]; then
            die "the cluster in $CLUSTER_DIR was built with REPLICA_PORT=$saved_replica; destroy it to change ports"
        fi
        PRIMARY_PORT=$saved_primary
        REPLICA_PORT=$saved_replica
    else
        PRIMARY_PORT=$wanted_primary
        REPLICA_PORT=$wanted_replica
    fi
    case "$PRIMARY_PORT$REPLICA_PORT" in
        *[!0-9]*) die "ports must be numbers (PRIMARY_PORT=$PRIMARY_PORT REPLICA_PORT=$REPLICA_PORT)" ;;
        *) ;;
    esac
    [ "$PRIMARY_PORT" != "$REPLICA_PORT" ] || die "PRIMARY_PORT and REPLICA_PORT must differ"
}

is_built() {
    [ -f "$1/PG_VERSION" ]
}

is_running() {
    is_built "$1" && "$PG_BIN/pg_ctl" status -D "$1" >/dev/null 2>&1
}

psql_at() {
    local port=$1
    shift
    "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U "$SUPERUSER" -d postgres "$@"
}

# Settings that belong to this local cluster, not to the shipped conf files.
write_local_conf() {
    local data=$1 port=$2 name=$3
    {
        printf '# Written by ops/local-cluster.sh: local-only settings, after the role conf.\n'
        printf "port = %s\n" "$port"
        printf "listen_addresses = '127.0.0.1'\n"
        printf "unix_socket_directories = ''\n"
        printf "cluster_name = '%s'\n" "$name"
        if [ -n "${SHARED_BUFFERS:-}" ]; then
            printf "shared_buffers = '%s'\n" "$SHARED_BUFFERS"
        fi
    } >"$data/local-cluster.conf"
}

start_server() {
    local data=$1 log=$2 name=$3
    if is_running "$data"; then
        say "$name already running"
        return
    fi
    say "starting $name (log: $log)"
    if ! "$PG_BIN/pg_ctl" start -D "$data" -l "$log" -w -t 120 >/dev/null; then
        printf '%s did not start; end of %s:\n' "$name" "$log" >&2
        tail -n 20 "$log" >&2 || true
        exit 1
    fi
}

stop_server() {
    local data=$1 name=$2
    if is_running "$data"; then
        say "stopping $name"
        "$PG_BIN/pg_ctl" stop -D "$data" -m fast -w -t 120 >/dev/null
    else
        say "$name not running"
    fi
}

# ---------------------------------------------------------------------------------------------
# Build

build_primary() {
    local pkglib
    pkglib=$("$PG_BIN/pg_config" --pkglibdir 2>/dev/null || true)
    if [ -n "$pkglib" ] && [ ! -e "$pkglib/pg_stat_statements.so" ]; then
        die "pg_stat_statements is missing from $pkglib (shared_preload_libraries needs it; Debian: postgresql-<ver> ships it, elsewhere install postgresql-contrib)"
    fi
    say "initdb $PRIMARY_DATA ($("$PG_BIN/postgres" --version))"
    rm -rf "$PRIMARY_DATA"
    "$PG_BIN/initdb" -D "$PRIMARY_DATA" -U "$SUPERUSER" --auth=trust -E UTF8 --no-locale \
        >"$CLUSTER_DIR/initdb.log" 2>&1 || {
        cat "$CLUSTER_DIR/initdb.log" >&2
        die "initdb failed"
    }
    cp "$OPS_DIR/postgresql-primary.conf" "$PRIMARY_DATA/postgresql-primary.conf"
    {
        printf '\n# --- added by ops/local-cluster.sh ---\n'
        printf "include 'postgresql-primary.conf'\n"
        printf "include 'local-cluster.conf'\n"
    } >>"$PRIMARY_DATA/postgresql.conf"
    write_local_conf "$PRIMARY_DATA" "$PRIMARY_PORT" primary
}

create_slot_and_extensions() {
    say "creating replication slot $SLOT and extensions pg_stat_statements, pgstattuple"
    psql_at "$PRIMARY_PORT" <<SQL
\o /dev/null
SELECT pg_create_physical_replication_slot('$SLOT', true)
WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = '$SLOT');
\o
CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
SELECT count(*) > 0 AS pgstattuple FROM pg_available_extensions WHERE name = 'pgstattuple' \gset have_
\if :have_pgstattuple
CREATE EXTENSION IF NOT EXISTS pgstattuple;
\endif
SQL
}

build_replica() {
    say "pg_basebackup -R -S $SLOT into $REPLICA_DATA"
    rm -rf "$REPLICA_DATA"
    "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U "$SUPERUSER" -D "$REPLICA_DATA" \
        -R -S "$SLOT" -X stream -c fast
    # The backup copied the primary's postgresql.conf: include the replica settings instead.
    rm -f "$REPLICA_DATA/postgresql-primary.conf"
    cp "$OPS_DIR/postgresql-replica.conf" "$REPLICA_DATA/postgresql-replica.conf"
    sed -i "s/^include 'postgresql-primary.conf'\$/include 'postgresql-replica.conf'/" "$REPLICA_DATA/postgresql.conf"
    grep -q "^include 'postgresql-replica.conf'\$" "$REPLICA_DATA/postgresql.conf" \
        || die "could not switch the replica's postgresql.conf to postgresql-replica.conf"
    # cluster_name is also the walreceiver's application_name in pg_stat_replication.
    write_local_conf "$REPLICA_DATA" "$REPLICA_PORT" "$SLOT"
}

wait_for_streaming() {
    local waited=0
    say "waiting for the replica to stream (up to 30 s)"
    while [ "$waited" -lt 60 ]; do
        if [ "$(psql_at "$PRIMARY_PORT" -At -c "SELECT count(*) FROM pg_stat_replication WHERE application_name = '$SLOT' AND state = 'streaming'")" = 1 ]; then
            say "replica $SLOT is streaming from the primary"
            return
        fi
        sleep 0.5
        waited=$((waited + 1))
    done
    tail -n 20 "$REPLICA_LOG" >&2 || true
    die "the replica did not start streaming within 30 s (log: $REPLICA_LOG)"
}

print_urls() {
    cat <<EOF

Primary: psql -h 127.0.0.1 -p $PRIMARY_PORT -U $SUPERUSER postgres
Replica: psql -h 127.0.0.1 -p $REPLICA_PORT -U $SUPERUSER postgres
JDBC (user $SUPERUSER, no password), for the simulator:
  --primary-url jdbc:postgresql://127.0.0.1:$PRIMARY_PORT/postgres --replica-url jdbc:postgresql://127.0.0.1:$REPLICA_PORT/postgres
EOF
}

# ---------------------------------------------------------------------------------------------
# Commands

cmd_start() {
    if [ ! -f "$CLUSTER_DIR/$MARKER" ]; then
        if [ -n "$(ls -A "$CLUSTER_DIR")" ]; then
            die "$CLUSTER_DIR is not empty and was not created by this script; choose another CLUSTER_DIR"
        fi
        touch "$CLUSTER_DIR/$MARKER"
        printf 'PRIMARY_PORT=%s\nREPLICA_PORT=%s\n' "$PRIMARY_PORT" "$REPLICA_PORT" >"$CLUSTER_ENV"
    fi
    if ! is_built "$PRIMARY_DATA"; then
        build_primary
    fi
    start_server "$PRIMARY_DATA" "$PRIMARY_LOG" "primary on port $PRIMARY_PORT"
    if ! is_built "$REPLICA_DATA"; then
        create_slot_and_extensions
        build_replica
    fi
    start_server "$REPLICA_DATA" "$REPLICA_LOG" "replica on port $REPLICA_PORT"
    wait_for_streaming
    print_urls
}

cmd_stop() {
    stop_server "$REPLICA_DATA" "replica on port $REPLICA_PORT"
    stop_server "$PRIMARY_DATA" "primary on port $PRIMARY_PORT"
}

cmd_status() {
    local rc=0
    printf 'cluster dir: %s\nbinaries:    %s\n' "$CLUSTER_DIR" "$PG_BIN"
    if is_running "$PRIMARY_DATA"; then
        printf 'primary:     running on 127.0.0.1:%s\n' "$PRIMARY_PORT"
    else
        printf 'primary:     not running%s\n' "$(is_built "$PRIMARY_DATA" || printf ' (not built)')"
        rc=3
    fi
    if is_running "$REPLICA_DATA"; then
        printf 'replica:     running on 127.0.0.1:%s\n' "$REPLICA_PORT"
    else
        printf 'replica:     not running%s\n' "$(is_built "$REPLICA_DATA" || printf ' (not built)')"
        rc=3
    fi
    if is_running "$PRIMARY_DATA"; then
        printf '\n-- primary: pg_stat_replication\n'
        psql_at "$PRIMARY_PORT" -P pager=off -x -f "$OPS_DIR/sql/replication-status.sql"
        printf -- '-- primary: replication slots\n'
        psql_at "$PRIMARY_PORT" -P pager=off -x -f "$OPS_DIR/sql/replication-slots.sql"
    fi
    if is_running "$REPLICA_DATA"; then
        printf -- '-- replica: lag\n'
        psql_at "$REPLICA_PORT" -P pager=off -x -f "$OPS_DIR/sql/replica-lag.sql"
    fi
    return "$rc"
}

cmd_destroy() {
    if [ ! -f "$CLUSTER_DIR/$MARKER" ]; then
        die "$CLUSTER_DIR was not created by this script (no $MARKER file); not deleting it"
    fi
    cmd_stop
    say "deleting $CLUSTER_DIR"
    rm -rf -- "$CLUSTER_DIR"
}

main() {
    local command=${1:-}
    case "$command" in
        start | stop | status | destroy) ;;
        -h | --help | help)
            usage
            exit 0
            ;;
        *)
            usage >&2
            exit 2
            ;;
    esac
    if [ "$(id -u)" -eq 0 ]; then
        die "refusing to run as root: PostgreSQL does not run as root.
Run this script as an ordinary user, e.g.: su someuser -c '$0 $command'"
    fi
    find_pg_bin
    check_binaries
    init_paths "$command"
    if [ "$command" = destroy ] && [ ! -d "$CLUSTER_DIR" ]; then
        say "nothing to destroy: $CLUSTER_DIR does not exist"
        exit 0
    fi
    init_ports
    "cmd_$command"
}

main "$@"
