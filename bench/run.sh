#!/usr/bin/env bash
# Runs socctl's command-level benchmarks with hyperfine and prints a Markdown table.
# Usage: bench/run.sh            (needs hyperfine: apt-get install -y hyperfine)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "bench/run.sh needs hyperfine (apt-get install -y hyperfine)" >&2; exit 1; }
cargo build --release --quiet
bin=target/release/socctl
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for n in 1000 10000; do
  python3 bench/generate_catalog.py "$n" "$work/cat$n"
done
export SOCCTL_TODAY=2026-11-23
hyperfine -N --warmup 10 --runs 200 --export-markdown "$work/startup.md" \
  "$bin --version" \
  "$bin due --team monitoring" \
  "$bin due --team monitoring -f json" \
  "$bin check"
hyperfine -N --warmup 2 --runs 10 --output=null --export-markdown "$work/scale.md" \
  "$bin --catalog $work/cat1000/tasks.yaml plan --from 2026-01-01 --to 2026-12-31 -f json" \
  "$bin --catalog $work/cat10000/tasks.yaml check" \
  "$bin --catalog $work/cat10000/tasks.yaml due --date 2026-06-01 -f json" \
  "$bin --catalog $work/cat10000/tasks.yaml plan --from 2026-01-01 --to 2026-12-31 -f json"
for n in 1000 10000; do
  printf 'occurrences in one year at N=%s: ' "$n"
  "$bin" --catalog "$work/cat$n/tasks.yaml" plan --from 2026-01-01 --to 2026-12-31 -f json | grep -c '"task"'
done
# The journal: 1,000,000 records, shipped catalog.
python3 bench/generate_journal.py 1000000 "$work/million.jsonl"
SOCCTL_JOURNAL="$work/journal.db" "$bin" journal import "$work/million.jsonl"
SOCCTL_JOURNAL="$work/journal.db" hyperfine -N --warmup 2 --runs 20 --export-markdown "$work/journal.md" \
  "$bin due" \
  "$bin overdue" \
  "$bin due --team monitoring -f json"
# `done` on 20 different days (those already done report so and exit 1: same work, so -i).
SOCCTL_JOURNAL="$work/journal.db" hyperfine -N -i --warmup 1 --runs 20 --export-markdown "$work/done.md" \
  --parameter-scan day 1 20 "$bin done update-escalation-tickets --date 2026-11-{day} --by bench"
cat "$work/startup.md" "$work/scale.md" "$work/journal.md" "$work/done.md"
