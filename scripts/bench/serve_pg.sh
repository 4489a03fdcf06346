#!/usr/bin/env bash
# The board on a PostgreSQL journal (BENCHMARKS.md, "Issue 15: the board under load"): a
# private cluster on loopback (tests/support/pg-cluster.sh), RECORDS (a generate_journal.py
# file) imported, then wrk on /healthz and / with a read token, 50 connections, 15 s each;
# then (POSTS=1, the default) 1,000 concurrent POSTs of one occurrence and 1,000 of distinct
# ones (scripts/bench/serve_posts.py), counted back; then, with SOAK=SECONDS, wrk on / for
# that long with the server's VmRSS every 10 s. Needs Debian's postgresql, wrk, hyperfine
# and a release build. Stops each server by its PID and deletes the cluster after. GETS=0
# skips the hyperfine and wrk rounds; the POST rounds print the load average before each
# and the server's thread count at its peak (sampled every 0.2 s). SERVE_ARGS: more options
# for `socctl serve` (e.g. "--header-timeout 2").
#
#   RECORDS=million.jsonl [SOAK=600] [POSTS=0] [GETS=0] bash scripts/bench/serve_pg.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
records=${RECORDS:?RECORDS=FILE.jsonl, from scripts/bench/generate_journal.py}
S=${SOCCTL:-$PWD/target/release/socctl}
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
record_tok=$($S --journal "$url" token create --user admin --scope record 2>/dev/null)
[ "${GETS:-1}" = 0 ] || hyperfine -N -w 2 -r 10 "$S --journal $url due -f json" 2>&1 | sed "s#$url#URL#g"
# start_server: `socctl serve` on a free loopback port; sets $pid and $addr.
start_server() {
  # shellcheck disable=SC2086 # SERVE_ARGS: more options for `socctl serve`, word-split.
  $S --journal "$url" serve --listen 127.0.0.1:0 ${SERVE_ARGS:-} 2>$dir/err & pid=$!
  addr=
  for _ in $(seq 100); do
    addr=$(sed -n 's#.*http://\(.*\)/$#\1#p' "$dir/err")
    [ -n "$addr" ] && break
    sleep 0.1
  done
}
stop_server() { kill $pid; wait $pid || true; pid=; }
if [ "${GETS:-1}" != 0 ]; then
start_server
for p in /healthz /; do echo "== $p"; wrk -t2 -c50 -d15s --timeout 10s --latency -H "Authorization: Bearer $tok" "http://$addr$p"; done
grep VmRSS /proc/$pid/status
stop_server
fi

if [ "${POSTS:-1}" = 1 ]; then
  count_done() { # FROM TO
    SOCCTL_TODAY=2031-01-01 $S --journal "$url" history --task track-mdvm-remediation --from "$1" --to "$2" -f json |
      python3 -c 'import json,sys; print(sum(1 for r in json.load(sys.stdin) if r["action"] == "done"))'
  }
  # posts MODE: one round, with the server's peak thread count while it runs.
  posts() {
    echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
    ( peak=0; while kill -0 $pid 2>/dev/null; do
        n=$(awk '/^Threads/ {print $2}' /proc/$pid/status 2>/dev/null || echo 0)
        [ "${n:-0}" -gt "$peak" ] && { peak=$n; echo "$peak" >"$dir/threads"; }
        sleep 0.2
      done ) & sampler=$!
    python3 scripts/bench/serve_posts.py "$addr" "$record_tok" "$1" 1000
    kill $sampler 2>/dev/null || true; wait $sampler 2>/dev/null || true
    echo "server threads at most: $(cat "$dir/threads" 2>/dev/null)"; rm -f "$dir/threads"
  }
  SOCCTL_TODAY=2031-01-01 start_server
  echo "== 1,000 concurrent POSTs of one occurrence"
  posts same
  echo "records: $(count_done 2027-01-01 2027-12-31)"
  echo "== 1,000 concurrent POSTs of distinct occurrences"
  posts distinct
  echo "records: $(count_done 2028-01-01 2030-12-31)"
  stop_server
fi

if [ -n "${SOAK:-}" ]; then
  start_server
  echo "== soak: wrk -t2 -c50 on / for ${SOAK}s, VmRSS every 10 s (KiB)"
  wrk -t2 -c50 -d"${SOAK}s" --timeout 10s --latency -H "Authorization: Bearer $tok" "http://$addr/" >"$dir/soak.txt" &
  load=$!
  for _ in $(seq 0 10 "$SOAK"); do
    printf '%s ' "$(awk '/VmRSS/ {print $2}' /proc/$pid/status)"
    sleep 10
  done
  echo
  wait "$load"
  cat "$dir/soak.txt"
  stop_server
fi
