#!/usr/bin/env bash
# A flood of logins (BENCHMARKS.md, "the board's limits under load"): `socctl serve` on a
# small SQLite journal with one account, then N logins with wrong passwords at once, each
# an unknown name from a loopback address of its own (scripts/bench/serve_logins.py), so
# every one costs an Argon2id check of 19 MiB. Prints the answers, the server's peak
# resident memory (VmHWM) and its most threads (/proc/PID/status sampled every 20 ms), and
# the load average. Needs python3 and a release build.
#
#   bash scripts/bench/serve_logins.sh [SOCCTL]      (N=500 by default)
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${N:-500}
socctl=${1:-${SOCCTL:-$PWD/target/release/socctl}}
[ -x "$socctl" ] || { echo "build first: cargo build --release" >&2; exit 1; }
work=$(mktemp -d /tmp/socctl-bench-logins.XXXXXX)
server=
stop() { [ -z "$server" ] || { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; }; server=; }
trap 'stop; rm -rf "$work"' EXIT
journal=$work/journal.db
export SOCCTL_TODAY=2026-11-23
printf 'pw-admin-board\n' | "$socctl" --journal "$journal" user add admin --role admin --password-stdin
"$socctl" --journal "$journal" serve --listen 127.0.0.1:0 2>"$work/serve.err" &
server=$!
address=
for _ in $(seq 100); do
  address=$(sed -n 's#^socctl: serving the board on http://\(.*\)/$#\1#p' "$work/serve.err")
  [ -n "$address" ] && break
  sleep 0.1
done
[ -n "$address" ] || { echo "the server did not start:" >&2; cat "$work/serve.err" >&2; exit 1; }
echo "== $socctl on $address (PID $server); $(grep VmRSS /proc/$server/status); load: $(cut -d' ' -f1-3 /proc/loadavg)"
( most=0
  while [ -e "$work/sampling" ] || [ ! -e "$work/sampled" ]; do
    [ -e "$work/sampling" ] || { sleep 0.02; continue; }
    t=$(awk '/^Threads:/ {print $2}' /proc/$server/status 2>/dev/null || echo 0)
    [ "${t:-0}" -gt "$most" ] && most=$t
    echo "$most" >"$work/threads"
    sleep 0.02
  done ) &
sampler=$!
touch "$work/sampling"
echo "== $n logins at once, each from its own address"
timeout 300 python3 scripts/bench/serve_logins.py "$address" "$n"
rm "$work/sampling"; touch "$work/sampled"; wait "$sampler"
echo "peak: $(grep VmHWM /proc/$server/status); threads at most: $(cat "$work/threads"); now: $(grep VmRSS /proc/$server/status); load: $(cut -d' ' -f1-3 /proc/loadavg)"
stop
