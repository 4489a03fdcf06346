#!/bin/bash
# One round of the figures that need a quiet machine, in one go: `check` of a 100,000-task
# catalog (three runs, wall/CPU/peak), a year's `plan` as JSON and CSV (hyperfine), the
# shipped `due` against `--version` (hyperfine), then the board under load on SQLite
# (scripts/bench/serve.sh with a short soak).
#   CATALOG=DIR (from generate_catalog.py 100000 DIR) RECORDS=FILE.jsonl \
#     bash scripts/bench/quiet_round.sh
# Needs a release build, hyperfine, wrk and python3.
set -u
S=${SOCCTL:-$PWD/target/release/socctl}
catalog=${CATALOG:?CATALOG=DIR of generate_catalog.py 100000 DIR}
echo "== load"; uptime
echo "== check ($catalog)"
( cd "$catalog" && rm -rf cache; for _ in 1 2 3; do /usr/bin/time -f '%e s wall, %U s user, %S s system, %M KB' "$S" check >/dev/null; done ) 2>&1 | tail -n 3
echo "== plan, a year"
( cd "$catalog" && export SOCCTL_TODAY=2026-11-23 && "$S" due >/dev/null 2>&1
  hyperfine -N -w 1 -r 5 --output=null "$S plan --from 2026-01-01 --to 2026-12-31 -f json" "$S plan --from 2026-01-01 --to 2026-12-31 -f csv" 2>&1 | grep -E "Benchmark|Time|Range" )
echo "== the shipped due against --version"
( export SOCCTL_TODAY=2026-11-23; hyperfine -N -w 5 -r 100 "$S --version" "$S due --team monitoring -f json" 2>&1 | grep -E "Benchmark|Time" )
echo "== the board on SQLite"; uptime
SOCCTL=$S SOAK=${SOAK:-10} bash scripts/bench/serve.sh 2>&1 | grep -vE "^\s*$"
uptime
