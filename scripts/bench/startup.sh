#!/usr/bin/env bash
# `socctl due` on the shipped catalog against `socctl --version` (issue 17's "within 1.2×"),
# two builds side by side: instructions (valgrind --tool=callgrind, repeatable on a loaded
# machine), page faults (perf stat), system calls (strace -c -f), wall time (hyperfine -N,
# minimum and median, with the load average), and the md5 of what `due` prints.
# Usage: scripts/bench/startup.sh [BIN [BEFORE_BIN]]  (BIN: target/release/socctl)
#   RUNS (default 300): hyperfine runs per command.
# Each build gets its own cache directory: a build's stamp differs, so two builds sharing one
# would recompile the catalog for each other.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=$(realpath "${1:-target/release/socctl}")
before=${2:+$(realpath "$2")}
runs=${RUNS:-300}
for tool in valgrind perf strace hyperfine; do
  command -v "$tool" >/dev/null || { echo "scripts/bench/startup.sh needs $tool" >&2; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# No journal: the default location (under XDG_STATE_HOME) holds none. Not SOCCTL_JOURNAL,
# which clap would read and copy into the subcommand as a global value on every run.
export SOCCTL_TODAY=2026-11-23 XDG_STATE_HOME="$work/state"
commands=("--version" "due --team monitoring -f json" "due -f json" "due")
builds=(after)
[ -n "$before" ] && builds=(before after)
path_of() { if [ "$1" = before ]; then echo "$before"; else echo "$bin"; fi; }
for build in "${builds[@]}"; do
  SOCCTL_CACHE_DIR="$work/cache-$build" "$(path_of "$build")" due >/dev/null
done
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| Build | Command | instructions (M) | / \`--version\` | page faults | system calls | md5 of the output |"
echo "|:---|:---|---:|---:|---:|---:|:---|"
for build in "${builds[@]}"; do
  exe=$(path_of "$build")
  export SOCCTL_CACHE_DIR="$work/cache-$build"
  floor=
  for command in "${commands[@]}"; do
    # shellcheck disable=SC2086
    valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" "$exe" $command \
      2>"$work/cg.log" >/dev/null
    n=$(grep -o 'Collected : [0-9]*' "$work/cg.log" | awk '{print $3}')
    [ -z "$floor" ] && floor=$n
    # shellcheck disable=SC2086
    faults=$(perf stat -x, -r 20 -e page-faults "$exe" $command 2>&1 >/dev/null |
      awk -F, '/page-faults/ {printf "%.0f", $1}')
    # shellcheck disable=SC2086
    calls=$(strace -c -f -o "$work/strace.txt" "$exe" $command >/dev/null 2>&1;
      awk '/total$/ {print $4}' "$work/strace.txt")
    # shellcheck disable=SC2086
    md5=$("$exe" $command | md5sum | cut -c1-12)
    printf '| %s | `socctl %s` | %.3f | %.3f | %s | %s | %s |\n' "$build" "$command" \
      "$(awk "BEGIN {print $n / 1e6}")" "$(awk "BEGIN {print $n / $floor}")" "$faults" "$calls" "$md5"
  done
done
unset SOCCTL_CACHE_DIR
echo
# Wall time: one hyperfine run per build with all its commands, so `due` and `--version`
# share the machine's load (the cache directory is per build, and `env` in the command
# would add a process to each run).
echo "| Command (hyperfine -N, $runs runs) | min, ms | median, ms | mean ± σ, ms | min / \`--version\` min | median / \`--version\` median |"
echo "|:---|---:|---:|---:|---:|---:|"
for build in "${builds[@]}"; do
  args=()
  for command in "${commands[@]}"; do
    args+=(-n "$build: $command" "$(path_of "$build") $command")
  done
  SOCCTL_CACHE_DIR="$work/cache-$build" hyperfine -N -w 10 -r "$runs" \
    --export-json "$work/wall-$build.json" --output=null "${args[@]}" >/dev/null 2>"$work/hyperfine.log"
  python3 - "$work/wall-$build.json" <<'EOF'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
floor = None
for r in results:
    build, command = r["command"].split(": ", 1)
    if floor is None:
        floor = (r["min"], r["median"])
    print(f"| {build}: `socctl {command}` | {r['min'] * 1e3:.2f} | {r['median'] * 1e3:.2f} | "
          f"{r['mean'] * 1e3:.2f} ± {r['stddev'] * 1e3:.2f} | {r['min'] / floor[0]:.2f} | "
          f"{r['median'] / floor[1]:.2f} |")
EOF
done
echo
# The same commands interleaved: each round runs every command of every build once, in a
# shuffled order, so a burst of load on the shared machine falls on all of them alike.
echo "| Command (interleaved, $runs rounds) | min, ms | median, ms | min / \`--version\` min | median / \`--version\` median |"
echo "|:---|---:|---:|---:|---:|"
python3 - "$runs" "$work" "$bin" "$before" "${commands[@]}" <<'EOF'
import os, random, statistics, sys, time
runs, work, after, before, commands = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
builds = ([("before", before)] if before else []) + [("after", after)]
jobs = []
for build, exe in builds:
    env = dict(os.environ, SOCCTL_CACHE_DIR=f"{work}/cache-{build}")
    for command in commands:
        jobs.append((build, command, [exe, *command.split()], env))
null = os.open(os.devnull, os.O_WRONLY)
times = {(b, c): [] for b, c, _, _ in jobs}
for round in range(10 + runs):
    random.shuffle(jobs)
    for build, command, argv, env in jobs:
        start = time.perf_counter_ns()
        pid = os.posix_spawn(argv[0], argv, env, file_actions=[(os.POSIX_SPAWN_DUP2, null, 1)])
        os.waitpid(pid, 0)
        if round >= 10:
            times[build, command].append((time.perf_counter_ns() - start) / 1e6)
for build, _ in builds:
    lo, med = min(times[build, commands[0]]), statistics.median(times[build, commands[0]])
    for command in commands:
        t = times[build, command]
        print(f"| {build}: `socctl {command}` | {min(t):.2f} | {statistics.median(t):.2f} | "
              f"{min(t) / lo:.2f} | {statistics.median(t) / med:.2f} |")
EOF
echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
