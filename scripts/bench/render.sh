#!/usr/bin/env bash
# Rendering at scale (BENCHMARKS.md, "Huge text and long plans"), on the release binary
# unless SOCCTL_BIN says otherwise; needs GNU time (apt-get install time).
#
#   cargo build --release && bash scripts/bench/render.sh [layout|memory|all]
#
# layout: wall time of `due` with a title of 0.25, 0.5 and 1 MB (one word, and words) in
#   every format, tables at COLUMNS=20, and of `history` with a note of the same sizes: each
#   size doubles, so linear layout doubles the time.
# memory: peak RSS of `plan` over a century (2000-01-01 to 2099-12-31) of 1,000 daily tasks
#   (36.5 million occurrences) in every format that streams, written to /dev/null.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${SOCCTL_BIN:-$root/target/release/socctl}
mode=${1:-all}
[ -x "$bin" ] || { echo "no $bin: run cargo build --release" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install time" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
export HOME=$work/home XDG_CONFIG_HOME=$work/config XDG_CACHE_HOME=$work/cache
export SOCCTL_TODAY=2026-11-23 NO_COLOR=1
mkdir -p home config
printf 'version: 1\nteams:\n  - id: ops\n    name: Operations\n' >roles.yaml

# measure LABEL COMMAND…: one Markdown row, wall seconds and peak RSS in MB.
measure() {
    local label=$1
    shift
    /usr/bin/time -f "%e %M" -o time.txt "$@" >/dev/null
    read -r seconds kib <time.txt
    printf '| %s | %s s | %d MB |\n' "$label" "$seconds" $((kib / 1024))
}

if [ "$mode" = layout ] || [ "$mode" = all ]; then
    echo "| Command | Wall | Peak RSS |"
    echo "|:---|---:|---:|"
    for kind in word words; do
        for size in 250000 500000 1000000; do
            python3 - "$kind" "$size" <<'PY'
import json, sys
kind, size = sys.argv[1], int(sys.argv[2])
text = "x" * size if kind == "word" else ("word " * (size // 5)).strip()
with open("tasks.yaml", "w") as f:
    f.write(f'version: 1\ntasks:\n  - id: big\n    title: "{text}"\n    cadence: daily\n    team: ops\n')
record = {"id": "6f1d2c1e-0000-4000-8000-000000000001", "task": "big",
          "occurrence": "2026-11-23", "action": "done", "on": "2026-11-23", "by": "a",
          "recorded_at": "2026-11-23T08:00:00Z", "note": text[: min(size, 1000000)]}
with open("import.jsonl", "w") as f:
    f.write('{"socctl_journal":{"schema":1,"tracking_since":"2026-11-01"}}\n')
    f.write(json.dumps(record) + "\n")
PY
            rm -f journal.db
            SOCCTL_JOURNAL=none.db "$bin" due -f json >/dev/null # fills the cache
            for format in table text markdown csv json html; do
                COLUMNS=20 SOCCTL_JOURNAL=none.db measure "$kind $size B title, \`due -f $format\` (COLUMNS=20)" "$bin" due -f "$format"
            done
            SOCCTL_JOURNAL=journal.db "$bin" journal import import.jsonl >/dev/null
            for format in table text; do
                COLUMNS=20 SOCCTL_JOURNAL=journal.db measure "$kind $size B note, \`history -f $format\` (COLUMNS=20)" "$bin" history -f "$format"
            done
        done
    done
fi

if [ "$mode" = memory ] || [ "$mode" = all ]; then
    python3 - <<'PY'
with open("tasks.yaml", "w") as f:
    f.write("version: 1\ntasks:\n")
    for n in range(1000):
        f.write(f"  - id: task-{n:04}\n    title: Daily task {n}\n    cadence: daily\n    team: ops\n")
PY
    "$bin" check >/dev/null
    echo
    echo "| \`plan --from 2000-01-01 --to 2099-12-31 -f FORMAT >/dev/null\`, 1,000 daily tasks | Wall | Peak RSS |"
    echo "|:---|---:|---:|"
    for format in csv text markdown html json; do
        SOCCTL_JOURNAL=none.db measure "$format" "$bin" plan --from 2000-01-01 --to 2099-12-31 -f "$format"
    done
fi
