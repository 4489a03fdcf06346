#!/usr/bin/env bash
# Two builds of the board, interleaved (BENCHMARKS.md, "the board's limits under load"): one
# journal of N generated records (SQLite) with a read token, then ROUNDS times each binary in
# turn: `socctl serve` started afresh on a free loopback port, the board fetched once, wrk
# -t2 -c50 on `/` for DURATION; prints req/s, p50, p99, the server's threads after the run
# and the load average. Every server is stopped by its PID; the work directory is deleted.
#
#   bash scripts/bench/serve_ab.sh BEFORE AFTER     (N=100000 ROUNDS=3 DURATION=10s)
set -euo pipefail
cd "$(dirname "$0")/../.."
before=$1 after=$2
n=${N:-100000}
command -v wrk >/dev/null || { echo "needs wrk: apt-get install wrk" >&2; exit 1; }
work=$(mktemp -d /tmp/socctl-bench-ab.XXXXXX)
pid=
trap '[ -z "$pid" ] || { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }; rm -rf "$work"' EXIT
export SOCCTL_TODAY=2026-11-23
journal=$work/journal.db
python3 scripts/bench/generate_journal.py "$n" "$work/records.jsonl" >/dev/null
"$after" --journal "$journal" journal import "$work/records.jsonl" >/dev/null
printf 'pw-admin-board\n' | "$after" --journal "$journal" user add admin --role admin --password-stdin >/dev/null
token=$("$after" --journal "$journal" token create --user admin --scope read 2>/dev/null)
for round in $(seq "${ROUNDS:-3}"); do
  for bin in "$before" "$after"; do
    "$bin" --journal "$journal" serve --listen 127.0.0.1:0 2>"$work/serve.err" &
    pid=$!
    address=
    for _ in $(seq 100); do
      address=$(sed -n 's#^socctl: serving the board on http://\(.*\)/$#\1#p' "$work/serve.err")
      [ -n "$address" ] && break
      sleep 0.1
    done
    curl -sf -o /dev/null -H "Authorization: Bearer $token" "http://$address/"
    result=$(wrk -t2 -c50 -d"${DURATION:-10s}" --timeout 10s --latency -H "Authorization: Bearer $token" "http://$address/" |
      awk '/Requests\/sec/ {rps=$2} / 50%/ {p50=$2} / 99%/ {p99=$2} END {print rps, p50, p99}')
    echo "round $round $bin: req/s p50 p99 = $result; threads $(awk '/^Threads/ {print $2}' /proc/$pid/status); load $(cut -d' ' -f1 /proc/loadavg)"
    kill "$pid"; wait "$pid" || true; pid=
  done
done
