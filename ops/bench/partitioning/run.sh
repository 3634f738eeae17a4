#!/usr/bin/env bash
# Does partitioning the events table by sequence-number range help? Builds a copy of the store's
# events table partitioned by RANGE (sequence_number) on the same server (history partitions of
# --partition-size events, plus one open-ended hot partition for new appends; the store's indexes
# on every partition; the rows copied; VACUUM (FREEZE, ANALYZE) of both tables), then measures
# the store's table and the copy in alternating rounds with pgbench at fixed concurrency and
# prints one Markdown table of medians with the partitioned/unpartitioned ratios. The copy is
# dropped at the end, also on failure or Ctrl-C. The store's table keeps its rows: by default the
# inserts are rolled back (see --insert-commit). Read README.md next to this script.
#
# Usage: ops/bench/partitioning/run.sh -p PORT [options]
#
# A server seeded by the simulator (it prints "ready: psql -h 127.0.0.1 -p PORT -U postgres
# postgres" when it is ready):
#   java -jar simulator/target/dcb-simulator.jar serve --events 10000000 --books 2000000 --readers 500000
#   ops/bench/partitioning/run.sh -p PORT | tee partitioning-10M.md
#
# Connection (psql's options; PGPASSWORD and the other libpq variables are used as usual):
#   -h HOST                 default 127.0.0.1
#   -p PORT                 required
#   -U USER                 default postgres
#   -d DATABASE             default postgres
# The table:
#   --schema NAME           the events table's schema (default public)
#   --table NAME            the store's events table (default events)
#   --copy NAME             the partitioned copy, in the same schema (default <table>_part); the
#                           run refuses to start when it exists (see --replace-copy)
#   --replace-copy          drop an existing table of that name first (a copy left by --keep-copy)
#   --keep-copy             do not drop the copy at the end
#   --partition-size N      events per history partition (default 2000000)
#   --indexes before|after  build the copy's indexes before copying the rows (default: the rows
#                           are inserted into indexed partitions, as the seeder inserted them into
#                           the store's indexed table, so both tables' indexes grew the same way)
#                           or after (faster; fresh, denser indexes on the copy only)
#   --books N, --readers N  how many book-N / reader-N ids exist (default: counted from the
#                           BookCopyAddedToCirculation and ReaderRegistered events, and checked)
# The measurement:
#   --rounds N              rounds (default 3); each round measures every operation on both
#                           tables, the unpartitioned first in odd rounds, the partitioned first
#                           in even ones
#   --seconds N             seconds per operation, table and round (default 15)
#   --warmup N              seconds per operation and table before the first round, not counted
#                           (default 5; 0 for none)
#   --check-clients N       clients of the append check (default 8)
#   --insert-clients N      clients of the insert (default 8)
#   --query-clients N       clients of the boundary read (default 4)
#   --page-clients N        clients of the subscription page (default 4)
#   --insert-commit         commit the inserts instead of rolling them back: closer to a real
#                           append (the commit's WAL flush is included), but every insert stays
#                           in the store's table for good (it is append-only: its trigger
#                           refuses DELETE), and in the copy until it is dropped
#   --protocol extended|prepared  pgbench's -M (default extended: every execution is planned
#                           again, as the store's statements are with prepareThreshold=0, e.g.
#                           behind PgBouncer; prepared: named statements, the generic plans of
#                           the check and the boundary read made once per connection, as with
#                           pgjdbc's default prepareThreshold of 5)
#   --psql PATH, --pgbench PATH   the client programs (default: from PATH; pgbench 14 or later)
#   --help                  this text
#
# What is measured (pgbench -M extended: the extended protocol without named prepared statements,
# as the store runs behind a pooler with prepareThreshold=0; the plan settings the store sets per
# statement are given as PGOPTIONS): the append's conflict check for one book, 8 clients; the
# insert of one event, 8 clients; a command's boundary read (one book OR one reader), 4 clients;
# a subscription page of 500 events after a random position, 4 clients. tps from pgbench, p50
# and p99 from its per-transaction logs (-l), medians over the rounds. Before the rounds: the
# build times, the sizes, probes of the guarantees and EXPLAIN (ANALYZE, BUFFERS) of each
# statement on each table; after them: autovacuum activity during the rounds, and the time of one
# VACUUM of the store's table against one of the copy's hot partition.
#
# Needs PostgreSQL 17 or later on the server (identity columns on partitioned tables), psql and
# pgbench 14 or later, awk, sort. Disk: the copy takes about as much as the store's table (printed
# before the copy starts). Transient files go to a temporary directory that is removed at the end.
set -euo pipefail
export LC_ALL=C

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly HERE

HOST=127.0.0.1
PORT=
DB_USER=postgres
DB=postgres
SCHEMA=public
TABLE=events
COPY=
REPLACE_COPY=0
KEEP_COPY=0
PARTITION_SIZE=2000000
INDEXES=before
BOOKS=
READERS=
ROUNDS=3
SECONDS_PER_RUN=15
WARMUP=5
CHECK_CLIENTS=8
INSERT_CLIENTS=8
QUERY_CLIENTS=4
PAGE_CLIENTS=4
INSERT_END=ROLLBACK
PROTOCOL=extended
PSQL=psql
PGBENCH=pgbench

die() {
    printf 'run.sh: %s\n' "$*" >&2
    exit 1
}

say() {
    printf '==> %s\n' "$*" >&2
}

usage() {
    sed -n '/^# Usage:/,/^set -euo pipefail$/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'
}

positive() {
    [[ "$2" =~ ^[1-9][0-9]*$ ]] || die "$1 needs a positive whole number, got '$2'"
}

while [ $# -gt 0 ]; do
    option=$1
    case "$option" in
        --help) usage; exit 0 ;;
        --replace-copy) REPLACE_COPY=1; shift; continue ;;
        --keep-copy) KEEP_COPY=1; shift; continue ;;
        --insert-commit) INSERT_END=COMMIT; shift; continue ;;
    esac
    [ $# -ge 2 ] || die "$option needs a value (--help for the options)"
    value=$2
    shift 2
    case "$option" in
        -h) HOST=$value ;;
        -p) PORT=$value ;;
        -U) DB_USER=$value ;;
        -d) DB=$value ;;
        --schema) SCHEMA=$value ;;
        --table) TABLE=$value ;;
        --copy) COPY=$value ;;
        --partition-size) positive "$option" "$value"; PARTITION_SIZE=$value ;;
        --indexes) [[ "$value" =~ ^(before|after)$ ]] || die "--indexes is before or after"; INDEXES=$value ;;
        --books) positive "$option" "$value"; BOOKS=$value ;;
        --readers) positive "$option" "$value"; READERS=$value ;;
        --rounds) positive "$option" "$value"; ROUNDS=$value ;;
        --seconds) positive "$option" "$value"; SECONDS_PER_RUN=$value ;;
        --warmup) [[ "$value" =~ ^[0-9]+$ ]] || die "--warmup needs a whole number"; WARMUP=$value ;;
        --check-clients) positive "$option" "$value"; CHECK_CLIENTS=$value ;;
        --insert-clients) positive "$option" "$value"; INSERT_CLIENTS=$value ;;
        --query-clients) positive "$option" "$value"; QUERY_CLIENTS=$value ;;
        --page-clients) positive "$option" "$value"; PAGE_CLIENTS=$value ;;
        --protocol) [[ "$value" =~ ^(extended|prepared)$ ]] || die "--protocol is extended or prepared"; PROTOCOL=$value ;;
        --psql) PSQL=$value ;;
        --pgbench) PGBENCH=$value ;;
        *) die "unknown option $option (--help for the options)" ;;
    esac
done
[ -n "$PORT" ] || die "-p PORT is required (--help for the options)"
[ -n "$COPY" ] || COPY=${TABLE}_part
for name in "$SCHEMA" "$TABLE" "$COPY"; do
    [[ "$name" =~ ^[a-z_][a-z0-9_]{0,49}$ ]] || die "names must match [a-z_][a-z0-9_]{0,49}, got '$name'"
done
[ "$COPY" != "$TABLE" ] || die "--copy must differ from --table"
command -v "$PSQL" >/dev/null || die "psql not found ($PSQL); apt-get install postgresql-client"
command -v "$PGBENCH" >/dev/null || die "pgbench not found ($PGBENCH); apt-get install postgresql-client"
pgbench_major=$("$PGBENCH" --version | sed -n 's/^pgbench (PostgreSQL) \([0-9]*\).*/\1/p')
[ -n "$pgbench_major" ] && [ "$pgbench_major" -ge 14 ] || die "pgbench 14 or later is needed (\\startpipeline), got: $("$PGBENCH" --version)"

# As copy-ddl.sql names them.
readonly QSRC="$SCHEMA.$TABLE" QCOPY="$SCHEMA.$COPY" QHOT="$SCHEMA.${COPY:0:50}_hot"

psql_run() {
    "$PSQL" -X -q -v ON_ERROR_STOP=1 -h "$HOST" -p "$PORT" -U "$DB_USER" -d "$DB" "$@" </dev/null
}

value_of() {
    psql_run -At -c "$1"
}

now_ns() {
    date +%s%N
}

seconds_since() {
    awk -v a="$1" -v b="$(now_ns)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }'
}

TMP=$(mktemp -d "${TMPDIR:-/tmp}/partitioning-bench.XXXXXX")
CREATED=0
PGBENCH_PID=

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [ -n "$PGBENCH_PID" ] && kill -0 "$PGBENCH_PID" 2>/dev/null; then
        kill -TERM "$PGBENCH_PID" 2>/dev/null || true
        wait "$PGBENCH_PID" 2>/dev/null || true
    fi
    if [ "$CREATED" = 1 ]; then
        if [ "$KEEP_COPY" = 1 ]; then
            say "kept $QCOPY (--keep-copy); drop it with: DROP TABLE $QCOPY;"
        else
            say "dropping $QCOPY"
            psql_run -c "DROP TABLE IF EXISTS $QCOPY" || printf 'run.sh: could not drop %s: drop it by hand\n' "$QCOPY" >&2
        fi
    fi
    rm -rf "$TMP"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------------------------------
# The server, the store's table, the ids

server_num=$(value_of "SHOW server_version_num") || die "cannot connect to $HOST:$PORT as $DB_USER to $DB"
[ "$server_num" -ge 170000 ] || die "the server is $(value_of 'SHOW server_version'): PostgreSQL 17 or later is needed (identity columns on partitioned tables)"
[ "$(value_of "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '$SCHEMA' AND c.relname = '$TABLE' AND c.relkind = 'r'")" = 1 ] \
    || die "no table $QSRC (a plain table) in database $DB"
if [ "$(value_of "SELECT to_regclass('$QCOPY') IS NOT NULL")" = t ]; then
    [ "$REPLACE_COPY" = 1 ] || die "$QCOPY exists (left by an earlier run?): pass --replace-copy to drop it first, or --copy NAME"
    say "dropping the existing $QCOPY (--replace-copy)"
    psql_run -c "DROP TABLE $QCOPY"
fi

readonly BOOK_TYPES='{BookCopyAddedToCirculation,BookCopyRemovedFromCirculation,BookCopyLentToReader,BookCopyReturnedByReader}'
readonly READER_TYPES='{ReaderRegistered,ReaderContractCanceled,BookCopyLentToReader,BookCopyReturnedByReader}'

say "counting books and readers"
[ -n "$BOOKS" ] || BOOKS=$(value_of "SELECT count(*) FROM $QSRC WHERE event_type = 'BookCopyAddedToCirculation'")
[ -n "$READERS" ] || READERS=$(value_of "SELECT count(*) FROM $QSRC WHERE event_type = 'ReaderRegistered'")
[ "$BOOKS" -gt 0 ] && [ "$READERS" -gt 0 ] || die "no books or no readers in $QSRC: is it a seeded library log?"
for id in "BookID book-0" "BookID book-$((BOOKS - 1))" "ReaderID reader-0" "ReaderID reader-$((READERS - 1))"; do
    set -- $id
    [ "$(value_of "SELECT EXISTS (SELECT 1 FROM $QSRC WHERE payload @> '{\"$1\": \"$2\"}')")" = t ] \
        || die "no event with $1 $2 in $QSRC: the ids are not book-0..book-$((BOOKS - 1)) and reader-0..reader-$((READERS - 1)); pass --books and --readers"
done
MARK=$(value_of "SELECT max(sequence_number) FROM $QSRC")
[ "$MARK" -gt 500 ] || die "$QSRC has too few events ($MARK)"

# ---------------------------------------------------------------------------------------------
# The report's header and the store's table

settings=$(value_of "SELECT string_agg(name || '=' || setting || coalesce(unit, ''), ', ' ORDER BY name) FROM pg_settings
    WHERE name IN ('shared_buffers', 'work_mem', 'max_parallel_workers_per_gather', 'synchronous_commit', 'jit',
                   'random_page_cost', 'autovacuum_naptime', 'max_locks_per_transaction', 'effective_cache_size')")
cat <<EOF
# Partitioning by sequence-number range: $QSRC against a partitioned copy

$(date -u +%Y-%m-%dT%H:%M:%SZ). $(value_of "SELECT version()"); $(nproc 2>/dev/null || echo '?') cores on the client's machine.
Settings: $settings.
Log: $MARK events (highest sequence number), $BOOKS books (book-0..book-$((BOOKS - 1))), $READERS readers.
Copy: $QCOPY, history partitions of $PARTITION_SIZE events and an open-ended hot partition, indexes built $INDEXES the rows were copied.
Measured: $ROUNDS rounds x $SECONDS_PER_RUN s per operation and table (warm-up $WARMUP s each), pgbench $("$PGBENCH" --version | sed 's/^pgbench //') -M $PROTOCOL; inserts end with $INSERT_END.

## The store's table

\`\`\`
EOF
psql_run -c "\\d+ $QSRC"
echo '```'

# ---------------------------------------------------------------------------------------------
# The partitioned copy

autovacuum=keep
autovacuum_note=
# Rolled-back inserts leave dead rows; in the nearly empty hot partition they would make
# autovacuum vacuum it every naptime, which real appends (live rows) would not.
if [ "$INSERT_END" = ROLLBACK ]; then
    autovacuum=off
    autovacuum_note="Autovacuum is off on the copy's partitions (autovacuum_enabled=false): the rolled-back inserts leave dead rows, which would make autovacuum vacuum the nearly empty hot partition every naptime (real appends leave none). Both tables are vacuumed by hand below."
fi
psql_run -At -v schema="$SCHEMA" -v table="$TABLE" -v copy="$COPY" -v size="$PARTITION_SIZE" \
    -v autovacuum="$autovacuum" -f "$HERE/sql/copy-ddl.sql" >"$TMP/ddl.tsv"
[ -s "$TMP/ddl.tsv" ] || die "no DDL generated for $QSRC"

cat <<EOF

## Building the copy

The store's table takes $(value_of "SELECT pg_size_pretty(pg_total_relation_size('$QSRC'))"); the copy needs about as much free disk.
$autovacuum_note

| step | seconds |
|---|---|
EOF

run_phase() {
    local phase=$1 line_phase label stmt start
    while IFS=$'\t' read -r -u 3 line_phase label stmt; do
        [ "$line_phase" = "$phase" ] || continue
        say "$label"
        [ "$phase" != table ] || [ "$CREATED" = 1 ] || CREATED=1
        start=$(now_ns)
        psql_run -c "$stmt" >/dev/null || die "failed: $stmt"
        printf '| %s | %s |\n' "$label" "$(seconds_since "$start")"
    done 3<"$TMP/ddl.tsv"
}

build_start=$(now_ns)
run_phase table
if [ "$INDEXES" = before ]; then
    run_phase index
    run_phase copy
else
    run_phase copy
    run_phase index
fi
run_phase identity
run_phase trigger
for target in "$QCOPY" "$QSRC"; do
    say "VACUUM (FREEZE, ANALYZE) $target"
    start=$(now_ns)
    psql_run -c "VACUUM (FREEZE, ANALYZE) $target"
    printf '| VACUUM (FREEZE, ANALYZE) %s | %s |\n' "$target" "$(seconds_since "$start")"
done
printf '| **total** | %s |\n' "$(seconds_since "$build_start")"
if ! psql_run -c "CHECKPOINT" 2>/dev/null; then
    echo
    echo "(CHECKPOINT after the build was refused: the role needs pg_checkpoint; a checkpoint of the copy's writes may fall into the first round.)"
fi

echo
echo '### The copy'
echo
echo '```'
psql_run -c "\\d+ $QCOPY"
echo '```'
echo
echo '## Sizes'
for target in "$QSRC" "$QCOPY"; do
    echo
    echo "### $target"
    echo
    echo '```'
    psql_run -v qtable="$target" -f "$HERE/sql/sizes.sql"
    echo '```'
done

# ---------------------------------------------------------------------------------------------
# Evidence: the guarantees, the plans

QFIRST=$SCHEMA.${COPY:0:50}_p000
[ "$(value_of "SELECT to_regclass('$QFIRST') IS NOT NULL")" = t ] || QFIRST=$QHOT
echo
echo '## Probes of the guarantees'
psql_run -v qsrc="$QSRC" -v qcopy="$QCOPY" -v qpart="$QFIRST" -v qhot="$QHOT" -v book_types="$BOOK_TYPES" \
    -v book="$((BOOKS / 2))" -f "$HERE/sql/probes.sql"

echo
echo '## Plans: EXPLAIN (ANALYZE, BUFFERS), one execution each'
for target in "$QSRC" "$QCOPY"; do
    psql_run -v qtable="$target" -v book_types="$BOOK_TYPES" -v reader_types="$READER_TYPES" \
        -v book="$((BOOKS / 2))" -v reader="$((READERS / 2))" -v pos="$((MARK / 2))" -v mark="$MARK" \
        -f "$HERE/sql/explain.sql"
done

# ---------------------------------------------------------------------------------------------
# The rounds

mkdir -p "$TMP/scripts" "$TMP/runs"
for test in check insert boundary page; do
    for kind in unpartitioned partitioned; do
        if [ "$kind" = unpartitioned ]; then target=$QSRC; else target=$QCOPY; fi
        sed -e "s/@TABLE@/$target/g" -e "s/@END@/$INSERT_END/g" "$HERE/pgbench/$test.sql" >"$TMP/scripts/$test-$kind.sql"
    done
done

clients_of() {
    case "$1" in
        check) echo "$CHECK_CLIENTS" ;;
        insert) echo "$INSERT_CLIENTS" ;;
        boundary) echo "$QUERY_CLIENTS" ;;
        page) echo "$PAGE_CLIENTS" ;;
    esac
}

# The settings the store sets for each statement (Statements.planCacheMode, parallelWorkers,
# PAGE_PLAN_CACHE_MODE, and the safe mark that the read's pipeline computes), as connection options.
options_of() {
    case "$1" in
        check) echo "-c plan_cache_mode=force_generic_plan -c max_parallel_workers_per_gather=0" ;;
        boundary) echo "-c plan_cache_mode=force_generic_plan -c max_parallel_workers_per_gather=0 -c dcb.mark=$MARK" ;;
        page) echo "-c plan_cache_mode=force_custom_plan -c dcb.mark=$MARK" ;;
        insert) echo "" ;;
    esac
}

# Runs one pgbench; prints "tps p50_ms p99_ms failed transactions" (p50, p99 from its log).
bench() {
    local test=$1 kind=$2 seconds=$3 dir=$4 clients rc=0
    clients=$(clients_of "$test")
    mkdir -p "$dir"
    PGOPTIONS=$(options_of "$test") "$PGBENCH" -n -M "$PROTOCOL" -f "$TMP/scripts/$test-$kind.sql" \
        -c "$clients" -j "$((clients < 2 ? clients : 2))" -T "$seconds" -l --log-prefix="$dir/tx" \
        -D books="$BOOKS" -D readers="$READERS" -D mark="$MARK" \
        -D book_types="$BOOK_TYPES" -D reader_types="$READER_TYPES" \
        -h "$HOST" -p "$PORT" -U "$DB_USER" "$DB" >"$dir/out" 2>"$dir/err" </dev/null &
    PGBENCH_PID=$!
    wait "$PGBENCH_PID" || rc=$?
    PGBENCH_PID=
    if [ "$rc" != 0 ]; then
        tail -n 20 "$dir/err" >&2
        die "pgbench failed ($test on $kind, exit $rc)"
    fi
    local tps failed
    tps=$(sed -n 's/^tps = \([0-9.]*\) (without initial connection time)$/\1/p' "$dir/out")
    failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$dir/out")
    [ -n "$tps" ] || die "no tps in pgbench's output ($dir/out)"
    # Field 3 of pgbench's per-transaction log is the latency in microseconds.
    cat "$dir"/tx.* | awk '$3 ~ /^[0-9]+$/ { print $3 }' | sort -n | awk -v tps="$tps" -v failed="${failed:-0}" '
        { v[NR] = $1 }
        END {
            if (NR == 0) { print tps, "NA", "NA", failed, 0; exit }
            printf "%s %.3f %.3f %s %d\n", tps, v[int((NR * 50 + 99) / 100)] / 1000, v[int((NR * 99 + 99) / 100)] / 1000, failed, NR
        }'
}

autovacuum_counts() {
    value_of "SELECT coalesce(sum(autovacuum_count), 0) || '/' || coalesce(sum(autoanalyze_count), 0) FROM pg_stat_user_tables
        WHERE relid = '$1'::regclass OR relid IN (SELECT relid FROM pg_partition_tree('$1'::regclass))"
}

src_autovacuum_before=$(autovacuum_counts "$QSRC")
copy_autovacuum_before=$(autovacuum_counts "$QCOPY")

if [ "$WARMUP" -gt 0 ]; then
    for test in check boundary page insert; do
        for kind in unpartitioned partitioned; do
            say "warm-up: $test on $kind, $WARMUP s"
            bench "$test" "$kind" "$WARMUP" "$TMP/runs/warmup-$test-$kind" >/dev/null
        done
    done
fi

cat <<EOF

## Rounds

| round | operation | table | clients | tps | p50 ms | p99 ms | failed | transactions |
|---|---|---|---|---|---|---|---|---|
EOF
: >"$TMP/results.tsv"
for round in $(seq 1 "$ROUNDS"); do
    if [ $((round % 2)) = 1 ]; then order="unpartitioned partitioned"; else order="partitioned unpartitioned"; fi
    for test in check boundary page insert; do
        for kind in $order; do
            say "round $round/$ROUNDS: $test on $kind, $SECONDS_PER_RUN s"
            bench "$test" "$kind" "$SECONDS_PER_RUN" "$TMP/runs/r$round-$test-$kind" >"$TMP/measured"
            read -r tps p50 p99 failed count <"$TMP/measured"
            printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$test" "$kind" "$tps" "$p50" "$p99" "$failed" >>"$TMP/results.tsv"
            printf '| %s | %s | %s | %s | %.0f | %s | %s | %s | %s |\n' "$round" "$test" "$kind" "$(clients_of "$test")" "$tps" "$p50" "$p99" "$failed" "$count"
        done
    done
done

# ---------------------------------------------------------------------------------------------
# The summary

median_of() { # test kind column(4 tps, 5 p50, 6 p99)
    awk -F'\t' -v t="$1" -v k="$2" -v c="$3" '$2 == t && $3 == k && $c != "NA" { print $c }' "$TMP/results.tsv" | sort -g |
        awk '{ v[NR] = $1 } END { if (NR == 0) print "NA"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

ratio() {
    awk -v a="$1" -v b="$2" 'BEGIN { if (a == "NA" || b == "NA" || a + 0 == 0) print "NA"; else printf "%.2f", b / a }'
}

fixed() {
    awk -v v="$1" -v d="$2" 'BEGIN { if (v == "NA") print v; else printf "%." d "f", v }'
}

label_of() {
    case "$1" in
        check) echo "append check (one book)" ;;
        insert) if [ "$INSERT_END" = COMMIT ]; then echo "insert of one event (committed)"; else echo "insert of one event (rolled back)"; fi ;;
        boundary) echo "boundary read (book OR reader)" ;;
        page) echo "subscription page (500 after a random position)" ;;
    esac
}

cat <<EOF

## Result: medians of $ROUNDS rounds, partitioned / unpartitioned

| operation | clients | tps unpart. | tps part. | tps ratio | p50 ms unpart. | p50 ms part. | p50 ratio | p99 ms unpart. | p99 ms part. | p99 ratio |
|---|---|---|---|---|---|---|---|---|---|---|
EOF
for test in check insert boundary page; do
    tu=$(median_of "$test" unpartitioned 4); tp=$(median_of "$test" partitioned 4)
    mu=$(median_of "$test" unpartitioned 5); mp=$(median_of "$test" partitioned 5)
    nu=$(median_of "$test" unpartitioned 6); np=$(median_of "$test" partitioned 6)
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$(label_of "$test")" "$(clients_of "$test")" \
        "$(fixed "$tu" 0)" "$(fixed "$tp" 0)" "$(ratio "$tu" "$tp")" \
        "$(fixed "$mu" 3)" "$(fixed "$mp" 3)" "$(ratio "$mu" "$mp")" \
        "$(fixed "$nu" 3)" "$(fixed "$np" 3)" "$(ratio "$nu" "$np")"
done
echo
echo "A tps ratio above 1 and latency ratios below 1 favour the partitioned table."

# ---------------------------------------------------------------------------------------------
# After the rounds: autovacuum, and what a vacuum costs

cat <<EOF

## Autovacuum during the warm-up and the rounds (vacuums/analyzes)

| table | before | after |
|---|---|---|
| $QSRC | $src_autovacuum_before | $(autovacuum_counts "$QSRC") |
| $QCOPY (all partitions) | $copy_autovacuum_before | $(autovacuum_counts "$QCOPY") |

## One VACUUM (FREEZE) after the rounds: the store's table against the copy's hot partition

Autovacuum visits a partition only when its own rows changed, so after appends it vacuums the hot
partition alone; an unpartitioned table is vacuumed whole (every index is scanned).

| table | dead rows | seconds |
|---|---|---|
EOF
for target in "$QSRC" "$QHOT"; do
    dead=$(value_of "SELECT n_dead_tup FROM pg_stat_user_tables WHERE relid = '$target'::regclass")
    say "VACUUM (FREEZE) $target"
    start=$(now_ns)
    psql_run -c "VACUUM (FREEZE) $target"
    printf '| %s | %s | %s |\n' "$target" "$dead" "$(seconds_since "$start")"
done
say "done"
