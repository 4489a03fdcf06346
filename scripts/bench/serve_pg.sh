#!/usr/bin/env bash
# The board on a PostgreSQL journal (BENCHMARKS.md, "Issue 15: the board under load"): a
# private cluster on loopback (tests/support/pg-cluster.sh), RECORDS (a generate_journal.py
# file) imported, then wrk on /healthz and / with a read token, 50 connections, 15 s each.
# Needs Debian's postgresql, wrk, hyperfine and a release build. Stops the server by its
# PID and deletes the cluster after.
#
#   RECORDS=million.jsonl bash scripts/bench/serve_pg.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
records=${RECORDS:?RECORDS=FILE.jsonl, from scripts/bench/generate_journal.py}
S=$PWD/target/release/socctl
dir=$(mktemp -d /tmp/socctl-bench-serve-pg.XXXXXX)
pid=
trap '[ -z "$pid" ] || kill $pid 2>/dev/null || true; bash tests/support/pg-cluster.sh stop "$dir"' EXIT
admin=$(bash tests/support/pg-cluster.sh start "$dir")
url=${admin%/postgres}/journal
psql "$admin" -qc "CREATE DATABASE journal"
export SOCCTL_TODAY=2026-11-23
/usr/bin/time -f "import: %e s wall" $S --journal "$url" journal import "$records"
psql "$url" -qc "VACUUM ANALYZE socctl.records"
printf 'pw-admin-board\n' | $S --journal "$url" user add admin --role admin --password-stdin
tok=$($S --journal "$url" token create --user admin --scope read 2>/dev/null)
hyperfine -N -w 2 -r 10 "$S --journal $url due -f json" 2>&1 | sed "s#$url#URL#g"
$S --journal "$url" serve --listen 127.0.0.1:0 2>$dir/err & pid=$!
addr=
for _ in $(seq 100); do
  addr=$(sed -n 's#.*http://\(.*\)/$#\1#p' "$dir/err")
  [ -n "$addr" ] && break
  sleep 0.1
done
for p in /healthz /; do echo "== $p"; wrk -t2 -c50 -d15s --timeout 10s --latency -H "Authorization: Bearer $tok" "http://$addr$p"; done
grep VmRSS /proc/$pid/status
kill $pid; wait $pid || true; pid=
