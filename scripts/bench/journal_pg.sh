#!/usr/bin/env bash
# The PostgreSQL journal benchmark (BENCHMARKS.md, "The journal on PostgreSQL"): a private
# cluster on a loopback port, 1,000,000 generated records imported with `socctl journal
# import`, then hyperfine on `due`, `overdue` and one team's `due`. Needs Debian's postgresql,
# hyperfine and a release build (cargo build --release). Stops and deletes the cluster after.
#
#   bash scripts/bench/journal_pg.sh [N]        (N records, default 1000000)
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-1000000}
socctl=$PWD/target/release/socctl
[ -x "$socctl" ] || { echo "build first: cargo build --release" >&2; exit 1; }
dir=$(mktemp -d /tmp/socctl-bench-pg.XXXXXX)
trap 'bash tests/support/pg-cluster.sh stop "$dir"' EXIT
admin=$(bash tests/support/pg-cluster.sh start "$dir")
url=${admin%/postgres}/journal
psql "$admin" -qc "CREATE DATABASE journal"
records=$dir/records.jsonl
python3 scripts/bench/generate_journal.py "$n" "$records"
export SOCCTL_TODAY=2026-11-23
echo "== import of $n records"
/usr/bin/time -f "%e s wall, %M KiB peak" "$socctl" --journal "$url" journal import "$records"
psql "$url" -qc "VACUUM ANALYZE socctl.records"
echo "== database"
psql "$url" -Atc "SELECT pg_size_pretty(pg_database_size('journal'))"
psql "$url" -Atc "SELECT indexdef FROM pg_indexes WHERE schemaname = 'socctl' ORDER BY indexname"
echo "== hyperfine"
hyperfine -N -w 3 -r 30 --export-markdown "$dir/results.md" \
  "$socctl due --journal $url" \
  "$socctl overdue --journal $url" \
  "$socctl due --team monitoring -f json --journal $url"
sed "s#$url#URL#g" "$dir/results.md"
