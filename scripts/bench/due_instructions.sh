#!/usr/bin/env bash
# `due --date D -f json` against `remind -q FILE D` in instructions (valgrind --tool=callgrind,
# user space only: repeatable on a loaded machine), warm cache, no journal, at 1,000, 10,000
# and 100,000 tasks, on both generator mixes (the default and --cron-heavy) and two dates.
# Usage: scripts/bench/due_instructions.sh [BIN [BEFORE_BIN]]  (BIN: target/release/socctl)
#   DATES (default "2026-06-01 2026-06-07"), SIZES (default "1000 10000 100000"),
#   MIXES (default "default cron-heavy").
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=$(realpath "${1:-target/release/socctl}")
before=${2:+$(realpath "$2")}
dates=${DATES:-2026-06-01 2026-06-07}
sizes=${SIZES:-1000 10000 100000}
mixes=${MIXES:-default cron-heavy}
for tool in valgrind remind python3; do
  command -v "$tool" >/dev/null || { echo "scripts/bench/due_instructions.sh needs $tool" >&2; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SOCCTL_TODAY=2026-11-23 SOCCTL_JOURNAL="$work/no-journal.db"
# Instructions of one run of "$@", in millions.
instructions() {
  valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" "$@" 2>"$work/cg.log" >/dev/null
  grep -o 'Collected : [0-9]*' "$work/cg.log" | awk '{printf "%.1f", $3 / 1e6}'
}
echo "| Mix | Date | N | due | remind | socctl | remind / socctl |${before:+ before | remind / before |}"
echo "|:---|:---|---:|---:|---:|---:|---:|${before:+---:|---:|}"
for mix in $mixes; do
  flag=; [ "$mix" = cron-heavy ] && flag=--cron-heavy
  for n in $sizes; do
    dir="$work/$mix$n"
    # shellcheck disable=SC2086
    python3 scripts/bench/generate_catalog.py "$n" "$dir" $flag >/dev/null
  done
  # Files older than a few seconds: the cache records their status (see docs/configuration.md).
  sleep 4
  for n in $sizes; do
    dir="$work/$mix$n"
    for date in $dates; do
      line="| $mix | $date | $n"
      due=$(SOCCTL_CACHE_DIR="$work/cache-after" "$bin" --catalog "$dir/tasks.yaml" due --date "$date" -f csv | tail -n +2 | wc -l)
      SOCCTL_CACHE_DIR="$work/cache-after" "$bin" --catalog "$dir/tasks.yaml" due --date "$date" -f json >/dev/null
      r=$(instructions remind -q "$dir/reminders.rem" "$date")
      s=$(SOCCTL_CACHE_DIR="$work/cache-after" instructions "$bin" --catalog "$dir/tasks.yaml" due --date "$date" -f json)
      line="$line | $due | $r | $s | $(awk "BEGIN {printf \"%.2f\", $r / $s}")"
      if [ -n "$before" ]; then
        SOCCTL_CACHE_DIR="$work/cache-before" "$before" --catalog "$dir/tasks.yaml" due --date "$date" -f json >/dev/null
        b=$(SOCCTL_CACHE_DIR="$work/cache-before" instructions "$before" --catalog "$dir/tasks.yaml" due --date "$date" -f json)
        line="$line | $b | $(awk "BEGIN {printf \"%.2f\", $r / $b}")"
      fi
      echo "$line |"
    done
  done
done
