#!/usr/bin/env bash
# Wall time, CPU time (user + system) and peak RSS of socctl on hostile and broken input, as a Markdown table for
# BENCHMARKS.md ("Hostile input"). Each case runs once under GNU time (`apt-get install
# time`), on the release binary unless SOCCTL_BIN says otherwise.
#
#   cargo build --release && bash scripts/bench/hostile.sh > /tmp/hostile.md
#
# The cases are the ones tests/hostile.rs checks for correctness; this script only measures.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${SOCCTL_BIN:-$root/target/release/socctl}
[ -x "$bin" ] || { echo "no $bin: run cargo build --release" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install time" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
export HOME=$work/home XDG_CONFIG_HOME=$work/config SOCCTL_JOURNAL=$work/journal.db
export SOCCTL_TODAY=2026-11-23 COLUMNS=120
mkdir -p home config

printf 'version: 1\nteams:\n  - id: ops\n    name: Operations\n' >roles.yaml
task() { # task FILE CADENCE
    printf 'version: 1\ntasks:\n  - id: rotate-keys\n    title: Rotate keys\n    cadence: "%s"\n    team: ops\n' "$2" >"$1"
}

# The catalogs.
cp "$root/tests/fixtures/bomb/tasks.yaml" bomb.yaml
python3 -c "print('version: 1\ntasks: ' + '[' * 10000 + ']' * 10000)" >flow.yaml
python3 -c "print('version: 1\ntasks:\n' + '- ' * 10000 + 'x')" >block.yaml
python3 -c "
import sys
w = sys.stdout.write
w('version: 1\ntasks:\n')
for level in range(10000):
    w(' ' * (level + 1) + 'a:\n')" >indented.yaml
python3 -c "
import sys
line = '# a comment line that pads this catalog past the size limit\n'
sys.stdout.write('version: 1\ntasks: []\n' + line * ((200 << 20) // len(line)))" >big.yaml
python3 -c "
import sys
line = '# a comment line, 120 MB of them are just under the size limit\n'
sys.stdout.write('version: 1\ntasks: []\n' + line * ((120 << 20) // len(line)))" >under.yaml
printf 'version: 1\ntasks:\n  - id: caf\xe9\n' >latin1.yaml
mkdir dir.yaml
mkfifo fifo.yaml
task never.yaml "cron: 0 0 30 2 *"
task seconds.yaml "cron: * * * * * *"
task daily.yaml "daily"
task triggered.yaml "daily and as needed"
cp "$root/tasks.yaml" shipped.yaml
cp "$root/roles.yaml" shipped-roles.yaml
head -c $((2 << 20)) /dev/zero >zeros.jsonl
python3 "$root/scripts/bench/generate_catalog.py" 100000 big100k >/dev/null

# A journal started on 2026-11-23 for the daily task, and one with a century of triggers.
SOCCTL_JOURNAL=old.db "$bin" --catalog daily.yaml --roles roles.yaml done rotate-keys >/dev/null
python3 - <<'EOF'
import datetime, json
first = datetime.date(1926, 11, 24)
with open("triggers.jsonl", "w") as f:
    f.write(json.dumps({"socctl_journal": {"schema": 1, "tracking_since": "1926-11-24"}}) + "\n")
    for n in range(36000):
        day = (first + datetime.timedelta(days=n)).isoformat()
        f.write(json.dumps({"id": f"t{n}", "task": "rotate-keys", "occurrence": day, "action": "triggered",
                            "on": day, "by": "x", "recorded_at": day + "T08:00:00Z"}) + "\n")
EOF
SOCCTL_JOURNAL=triggers.db "$bin" --catalog triggered.yaml --roles roles.yaml journal import triggers.jsonl >/dev/null

echo "| Case | Result | Wall | CPU | Peak RSS | Command |"
echo "|---|---|---:|---:|---:|---|"
# measure CASE ENV-ASSIGNMENTS -- ARGS…: runs socctl with ARGS, prints one table row.
measure() {
    local name=$1 envs=$2
    shift 3
    # shellcheck disable=SC2086
    env $envs /usr/bin/time -f '%e %U %S %M' -o time.txt "$bin" "$@" >out.txt 2>err.txt </dev/null && code=0 || code=$?
    read -r wall user sys rss < <(tail -n1 time.txt)
    local said
    said=$( (grep -m1 -E 'error|socctl:|warning' out.txt err.txt || head -n1 out.txt) | sed 's/^[a-z.]*txt://' | cut -c1-90 | tr '|' '/')
    printf '| %s | exit %s: %s | %.2f s | %.2f s | %s MB | `%s%s` |\n' "$name" "$code" "$said" "$wall" \
        "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" \
        "$(awk -v k="$rss" 'BEGIN { printf "%.1f", k / 1024 }')" "${envs:+$envs }" "socctl $*"
}
cat="--roles roles.yaml"
measure "Billion laughs (9^9 nodes)" "" -- --catalog bomb.yaml $cat check
measure "10,000-deep flow nesting" "" -- --catalog flow.yaml $cat check
measure "10,000-deep block nesting (\`- - - …\`)" "" -- --catalog block.yaml $cat check
measure "10,000-deep indented mappings (50 MB)" "" -- --catalog indented.yaml $cat check
measure "200 MB catalog" "" -- --catalog big.yaml $cat check
measure "120 MB catalog of comments (under the limit)" "" -- --catalog under.yaml $cat check
measure "Invalid UTF-8" "" -- --catalog latin1.yaml $cat check
measure "A directory as catalog" "" -- --catalog dir.yaml $cat check
measure "A FIFO nobody writes to" "" -- --catalog fifo.yaml $cat check
measure "Never-firing rule \`cron: 0 0 30 2 *\`" "" -- --catalog never.yaml $cat check
measure "Every-second rule \`cron: * * * * * *\`" "" -- --catalog seconds.yaml $cat check
measure "\`--date 0001-01-01\`" "" -- --catalog shipped.yaml --roles shipped-roles.yaml due --date 0001-01-01 -f text
measure "\`--date 9999-12-31\`" "" -- --catalog shipped.yaml --roles shipped-roles.yaml due --date 9999-12-31 -f text
measure "\`--from\` after \`--to\`" "" -- --catalog shipped.yaml --roles shipped-roles.yaml plan --from 2026-12-01 --to 2026-11-01
measure "100-year plan (shipped catalog)" "" -- --catalog shipped.yaml --roles shipped-roles.yaml plan --from 2026-01-01 --to 2125-12-31 -f json
measure "0001–9999 plan" "" -- --catalog shipped.yaml --roles shipped-roles.yaml plan --from 0001-01-01 --to 9999-12-31
measure "\`export ics --until 9999-12-31\` (from 2026)" "" -- --catalog shipped.yaml --roles shipped-roles.yaml export ics --until 9999-12-31
measure "\`export ics\` in the last week of 9999" "SOCCTL_TODAY=9999-12-25" -- --catalog shipped.yaml --roles shipped-roles.yaml export ics --until 9999-12-31
measure "\`next\` on 9999-12-31" "SOCCTL_TODAY=9999-12-31" -- --catalog shipped.yaml --roles shipped-roles.yaml next -f json
measure "\`week\` on 9999-12-31" "SOCCTL_TODAY=9999-12-31" -- --catalog shipped.yaml --roles shipped-roles.yaml week -f json
measure "\`due\` on 9999-12-31" "SOCCTL_TODAY=9999-12-31" -- --catalog shipped.yaml --roles shipped-roles.yaml due -f json
measure "\`due\` on 9999-12-31, journal from 2026" "SOCCTL_TODAY=9999-12-31 SOCCTL_JOURNAL=old.db" -- --catalog daily.yaml $cat due -f json
measure "\`overdue\` on 9999-12-31, journal from 2026" "SOCCTL_TODAY=9999-12-31 SOCCTL_JOURNAL=old.db" -- --catalog daily.yaml $cat overdue -f json
measure "\`report\` on 9999-12-31, journal from 2026" "SOCCTL_TODAY=9999-12-31 SOCCTL_JOURNAL=old.db" -- --catalog daily.yaml $cat report -f json
measure "\`due\` with 36,000 triggers over a century" "SOCCTL_JOURNAL=triggers.db" -- --catalog triggered.yaml $cat due -f json
measure "\`journal import\` of 2 MB without a line break" "" -- --catalog daily.yaml $cat journal import zeros.jsonl
measure "\`due\`, 100,000 tasks (no journal)" "" -- --catalog big100k/tasks.yaml --roles big100k/roles.yaml due -f json
