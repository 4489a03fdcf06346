#!/usr/bin/env bash
# Runs socctl's command-level benchmarks with hyperfine, side by side with remind(1) where the
# issue asks for it, and prints Markdown tables and occurrence counts.
# Usage: scripts/bench/run.sh [quick]
#   needs hyperfine and remind (apt-get install -y hyperfine remind) and python3;
#   quick: skips remind's one-year listing at N = 100,000 (it takes minutes);
#   REMIND_TIMEOUT (seconds, default 900) bounds that single run.
set -euo pipefail
cd "$(dirname "$0")/../.."
mode=${1:-full}
[ -x /usr/bin/time ] || { echo "scripts/bench/run.sh needs /usr/bin/time (apt-get install -y time)" >&2; exit 1; }
for tool in hyperfine remind python3; do
  command -v "$tool" >/dev/null || { echo "scripts/bench/run.sh needs $tool (apt-get install -y $tool)" >&2; exit 1; }
done
cargo build --release --quiet
bin=target/release/socctl
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for n in 1000 10000 100000; do
  python3 scripts/bench/generate_catalog.py "$n" "$work/cat$n"
done
# The same catalogs with every start in 2026 (recent) or in 1000 (old): `due` must not care.
for n in 10000 100000; do
  python3 scripts/bench/generate_catalog.py "$n" "$work/recent$n" --start-year 2026
  python3 scripts/bench/generate_catalog.py "$n" "$work/old$n" --start-year 1000
done
export SOCCTL_TODAY=2026-11-23
echo "machine: $(nproc) cores, $(uname -sr), $(remind -v 2>&1 | grep -m1 REMIND | cut -c1-15), load: $(cut -d' ' -f1-3 /proc/loadavg)"

hyperfine -N --warmup 10 --runs 200 --export-markdown "$work/startup.md" \
  "$bin --version" \
  "$bin due --team monitoring" \
  "$bin due --team monitoring -f json" \
  "$bin check"
# Generated catalogs: no journal (a path that does not exist; socctl does not create it).
export SOCCTL_JOURNAL="$work/no-journal.db"
hyperfine -N --warmup 2 --runs 10 --output=null --export-markdown "$work/scale.md" \
  "$bin --catalog $work/cat1000/tasks.yaml plan --from 2026-01-01 --to 2026-12-31 -f json" \
  "$bin --catalog $work/cat10000/tasks.yaml check" \
  "$bin --catalog $work/cat10000/tasks.yaml due --date 2026-06-01 -f json" \
  "$bin --catalog $work/cat10000/tasks.yaml plan --from 2026-01-01 --to 2026-12-31 -f json"

# One date: remind -q FILE DATE vs socctl due, same schedules, one hyperfine run.
date_cmds=()
for n in 1000 10000 100000; do
  date_cmds+=("remind -q $work/cat$n/reminders.rem 2026-06-01"
              "$bin --catalog $work/cat$n/tasks.yaml due --date 2026-06-01 -f json")
done
hyperfine -N --warmup 2 --runs 10 --output=null --export-markdown "$work/remind-date.md" "${date_cmds[@]}"

# One year: remind -s12 vs socctl plan (JSON), N = 1,000 and 10,000 in one run.
hyperfine -N --warmup 1 --runs 3 --output=null --export-markdown "$work/remind-year.md" \
  "remind -s12 $work/cat1000/reminders.rem 2026-01-01" \
  "$bin --catalog $work/cat1000/tasks.yaml plan --from 2026-01-01 --to 2026-12-31 -f json" \
  "remind -s12 $work/cat10000/reminders.rem 2026-01-01" \
  "$bin --catalog $work/cat10000/tasks.yaml plan --from 2026-01-01 --to 2026-12-31 -f json"
# N = 100,000: socctl three times; remind once, with a time limit.
hyperfine -N --warmup 0 --runs 3 --output=null --export-markdown "$work/plan100k.md" \
  "$bin --catalog $work/cat100000/tasks.yaml plan --from 2026-01-01 --to 2026-12-31 -f json"
if [ "$mode" != quick ]; then
  limit=${REMIND_TIMEOUT:-900}
  t0=$(date +%s%N)
  if timeout "$limit" remind -s12 "$work/cat100000/reminders.rem" 2026-01-01 >/dev/null; then
    echo "remind -s12, N = 100,000: $(( ($(date +%s%N) - t0) / 1000000 )) ms (one run)"
  else
    echo "remind -s12, N = 100,000: did not finish within $limit s (one run, killed)"
  fi
fi
for n in 1000 10000 100000; do
  printf 'occurrences in 2026 at N=%s: socctl plan %s' "$n" \
    "$("$bin" --catalog "$work/cat$n/tasks.yaml" plan --from 2026-01-01 --to 2026-12-31 -f csv | tail -n +2 | wc -l)"
  if [ "$n" -le 10000 ]; then
    printf ', remind -s12 %s (left out of the remind file: %s tasks)' \
      "$(remind -s12 "$work/cat$n/reminders.rem" 2026-01-01 | wc -l)" "$(wc -l < "$work/cat$n/reminders-left-out.tsv")"
  fi
  printf ', due on 2026-06-01: %s\n' \
    "$("$bin" --catalog "$work/cat$n/tasks.yaml" due --date 2026-06-01 -f csv | tail -n +2 | wc -l)"
done

# Cost of `due` vs how long ago tasks started: identical catalogs but for the start year.
hyperfine -N --warmup 2 --runs 10 --output=null --export-markdown "$work/start-age.md" \
  "$bin --catalog $work/recent10000/tasks.yaml due --date 2026-12-28 -f json" \
  "$bin --catalog $work/old10000/tasks.yaml due --date 2026-12-28 -f json" \
  "$bin --catalog $work/recent100000/tasks.yaml due --date 2026-12-28 -f json" \
  "$bin --catalog $work/old100000/tasks.yaml due --date 2026-12-28 -f json"
# The catalog cache: a first run (or --no-cache) parses the YAML; later runs read the
# compiled copy. Same command both ways.
hyperfine -N --warmup 1 --runs 5 --output=null --export-markdown "$work/cache.md" \
  "$bin --no-cache --catalog $work/cat10000/tasks.yaml due --date 2026-06-01 -f json" \
  "$bin --catalog $work/cat10000/tasks.yaml due --date 2026-06-01 -f json" \
  "$bin --no-cache --catalog $work/cat100000/tasks.yaml due --date 2026-06-01 -f json" \
  "$bin --catalog $work/cat100000/tasks.yaml due --date 2026-06-01 -f json"
# Peak memory (maximum resident set size) at N = 100,000.
peak() { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1; }
{
  echo "| Command (N = 100,000) | Peak RSS |"
  echo "|:---|---:|"
  echo "| \`due --date 2026-06-01 -f json\` (cache) | $(( $(peak "$bin" --catalog "$work/cat100000/tasks.yaml" due --date 2026-06-01 -f json) / 1024 )) MB |"
  echo "| \`due --date 2026-06-01 -f json --no-cache\` | $(( $(peak "$bin" --no-cache --catalog "$work/cat100000/tasks.yaml" due --date 2026-06-01 -f json) / 1024 )) MB |"
  echo "| \`plan\` one year \`-f json\` (streamed) | $(( $(peak "$bin" --catalog "$work/cat100000/tasks.yaml" plan --from 2026-01-01 --to 2026-12-31 -f json) / 1024 )) MB |"
  echo "| \`plan\` one year \`-f csv\` (whole plan in memory) | $(( $(peak "$bin" --catalog "$work/cat100000/tasks.yaml" plan --from 2026-01-01 --to 2026-12-31 -f csv) / 1024 )) MB |"
} >"$work/memory.md"
unset SOCCTL_JOURNAL

# The journal: 1,000,000 records, shipped catalog.
python3 scripts/bench/generate_journal.py 1000000 "$work/million.jsonl"
SOCCTL_JOURNAL="$work/journal.db" "$bin" journal import "$work/million.jsonl"
SOCCTL_JOURNAL="$work/journal.db" hyperfine -N --warmup 2 --runs 20 --export-markdown "$work/journal.md" \
  "$bin due" \
  "$bin overdue" \
  "$bin due --team monitoring -f json"
# `done` on 20 different days (those already done report so and exit 1: same work, so -i).
SOCCTL_JOURNAL="$work/journal.db" hyperfine -N -i --warmup 1 --runs 20 --export-markdown "$work/done.md" \
  --parameter-list day "$(seq -s, -f %02g 1 20)" "$bin done update-escalation-tickets --date 2026-11-{day} --by bench"
for table in startup scale remind-date remind-year plan100k start-age cache memory journal done; do
  echo; echo "## $table"; cat "$work/$table.md"
done
