#!/usr/bin/env bash
# The board under load (BENCHMARKS.md, "Issue 15: the board under load"): the shipped
# catalog, a journal of N generated records (SQLite), `socctl serve` on loopback, and wrk
# (Debian's `wrk`) at 50 connections: `/healthz` (the floor) then the board `/` with a read
# token, each for DURATION; then 1,000 concurrent POSTs of one occurrence and 1,000 of
# distinct ones (scripts/bench/serve_posts.py), counted back with `socctl history -f json`;
# then a soak: wrk on `/` for SOAK seconds with the server's VmRSS sampled every 10 s.
# Needs wrk, python3 and a release build (cargo build --release). Every server is stopped
# by its PID; the work directory is deleted after.
#
#   bash scripts/bench/serve.sh            (N=1000000 DURATION=15s SOAK=600 by default;
#                                           RECORDS=FILE.jsonl imports that file instead)
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${N:-1000000}
duration=${DURATION:-15s}
soak=${SOAK:-600}
socctl=${SOCCTL:-$PWD/target/release/socctl}
[ -x "$socctl" ] || { echo "build first: cargo build --release" >&2; exit 1; }
command -v wrk >/dev/null || { echo "needs wrk: apt-get install wrk" >&2; exit 1; }
work=$(mktemp -d /tmp/socctl-bench-serve.XXXXXX)
server=
stop() { [ -z "$server" ] || { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; }; server=; }
trap 'stop; rm -rf "$work"' EXIT
journal=$work/journal.db
export SOCCTL_TODAY=2026-11-23

# start_server: `socctl serve` on a free loopback port; sets $server (PID) and $address.
start_server() {
  "$socctl" --journal "$journal" serve --listen 127.0.0.1:0 2>"$work/serve.err" &
  server=$!
  for _ in $(seq 100); do
    address=$(sed -n 's#^socctl: serving the board on http://\(.*\)/$#\1#p' "$work/serve.err")
    [ -n "$address" ] && return
    sleep 0.1
  done
  echo "the server did not start:" >&2; cat "$work/serve.err" >&2; exit 1
}

echo "== journal: $n records"
records=${RECORDS:-$work/records.jsonl}
[ -n "${RECORDS:-}" ] || python3 scripts/bench/generate_journal.py "$n" "$records"
/usr/bin/time -f "import: %e s wall, %M KiB peak" "$socctl" --journal "$journal" journal import "$records"
printf 'pw-admin-board\n' | "$socctl" --journal "$journal" user add admin --role admin --password-stdin
read_token=$("$socctl" --journal "$journal" token create --user admin --scope read 2>/dev/null)
record_token=$("$socctl" --journal "$journal" token create --user admin --scope record 2>/dev/null)
auth="Authorization: Bearer $read_token"

# What each board request runs (the board is `due`'s JSON rendered), as one process.
if command -v hyperfine >/dev/null; then
  hyperfine -N -w 2 -r 20 "$socctl --journal $journal due -f json"
fi

start_server
echo "== server $address (PID $server), VmRSS at start: $(grep VmRSS /proc/$server/status)"
curl -sf -o /dev/null -H "$auth" "http://$address/" || { echo "the board does not answer 200" >&2; exit 1; }
for path in /healthz /; do
  echo "== wrk -t2 -c50 -d$duration $path"
  wrk -t2 -c50 -d"$duration" --timeout 10s --latency -H "$auth" "http://$address$path"
done
echo "VmRSS after the board runs: $(grep VmRSS /proc/$server/status)"
stop

# The POSTs: occurrences of 2027 and later, which the generated journal has none of.
count_done() { # FROM TO
  "$socctl" --journal "$journal" history --task track-mdvm-remediation --from "$1" --to "$2" -f json |
    python3 -c 'import json,sys; print(sum(1 for r in json.load(sys.stdin) if r["action"] == "done"))'
}
SOCCTL_TODAY=2031-01-01 start_server
echo "== 1,000 concurrent POSTs of one occurrence (statuses, then records in the journal)"
python3 scripts/bench/serve_posts.py "$address" "$record_token" same 1000
echo "records: $(SOCCTL_TODAY=2031-01-01 count_done 2027-01-01 2027-12-31)"
echo "== 1,000 concurrent POSTs of distinct occurrences (2028-01-01 and the 999 days after)"
python3 scripts/bench/serve_posts.py "$address" "$record_token" distinct 1000
echo "records: $(SOCCTL_TODAY=2031-01-01 count_done 2028-01-01 2030-12-31)"
stop

start_server
echo "== soak: wrk -t2 -c50 on / for ${soak}s, VmRSS every 10 s (KiB)"
wrk -t2 -c50 -d"${soak}s" --timeout 10s --latency -H "$auth" "http://$address/" >"$work/soak.txt" &
load=$!
for _ in $(seq 0 10 "$soak"); do
  printf '%s ' "$(awk '/VmRSS/ {print $2}' /proc/$server/status)"
  sleep 10
done
echo
wait "$load"
cat "$work/soak.txt"
stop
