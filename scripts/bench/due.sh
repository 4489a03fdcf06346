#!/usr/bin/env bash
# `due` for one date against remind(1), side by side in one hyperfine run, with peak memory:
# remind 04.02 vs socctl (and, given a second binary, vs an earlier socctl) at 1,000, 10,000
# and 100,000 tasks, warm cache, no journal.
# Usage: scripts/bench/due.sh [BIN [BEFORE_BIN]]   (BIN defaults to target/release/socctl)
#   DATE (default 2026-06-01), SIZES (default "1000 10000 100000"), RUNS (default 20),
#   MIX (extra generate_catalog.py flags, e.g. --cron-heavy).
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=$(realpath "${1:-target/release/socctl}")
before=${2:+$(realpath "$2")}
date=${DATE:-2026-06-01}
sizes=${SIZES:-1000 10000 100000}
runs=${RUNS:-20}
for tool in hyperfine remind python3 /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "scripts/bench/due.sh needs $tool" >&2; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SOCCTL_TODAY=2026-11-23 SOCCTL_JOURNAL="$work/no-journal.db" SOCCTL_CACHE_DIR="$work/cache"
echo "machine: $(nproc) cores, $(uname -sr), $(remind -v 2>&1 | grep -m1 REMIND | cut -c1-15), load: $(cut -d' ' -f1-3 /proc/loadavg)"
cmds=()
for n in $sizes; do
  # shellcheck disable=SC2086
  python3 scripts/bench/generate_catalog.py "$n" "$work/cat$n" ${MIX:-} >/dev/null
  # Each binary its own copy: the cache file is named by the catalog's path.
  cp -r "$work/cat$n" "$work/before$n"
  echo "N=$n: due on $date: $("$bin" --catalog "$work/cat$n/tasks.yaml" due --date "$date" -f csv | tail -n +2 | wc -l) occurrences"
  cmds+=("remind -q $work/cat$n/reminders.rem $date"
         "$bin --catalog $work/cat$n/tasks.yaml due --date $date -f json")
  [ -n "$before" ] && cmds+=("$before --catalog $work/before$n/tasks.yaml due --date $date -f json")
done
# Files older than a few seconds: the cache then records their status and later runs do not
# hash them (see "The catalog cache" in docs/configuration.md).
sleep 4
hyperfine -N --warmup 3 --runs "$runs" --output=null --export-markdown "$work/due.md" "${cmds[@]}"
echo; cat "$work/due.md"
echo; echo "| Peak RSS (/usr/bin/time -f %M), MB | N | remind | socctl | before |"
echo "|:---|---:|---:|---:|---:|"
peak() { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1; }
for n in $sizes; do
  r=$(peak remind -q "$work/cat$n/reminders.rem" "$date")
  s=$(peak "$bin" --catalog "$work/cat$n/tasks.yaml" due --date "$date" -f json)
  b=-
  [ -n "$before" ] && b=$(( $(peak "$before" --catalog "$work/before$n/tasks.yaml" due --date "$date" -f json) / 1024 ))
  echo "| due --date $date -f json | $n | $(( r / 1024 )) | $(( s / 1024 )) | $b |"
done
