#!/usr/bin/env python3
"""Compares one year of `socctl plan` with what remind(1) gives for the same schedules.

Usage: crosscheck.py DIR [--year Y] [--socctl BIN] [--remind BIN] [--examples K]

DIR holds a catalog written by scripts/bench/generate_catalog.py: tasks.yaml, roles.yaml,
reminders.rem and reminders-left-out.tsv. The set of (date, task) pairs from
`socctl plan --from Y-01-01 --to Y-12-31 -f csv` is compared with the set from
`remind -s12 reminders.rem Y-01-01` (remind's simple calendar: one line per reminder and day),
for every task except those left out of the remind file. Differences are printed grouped by
the task's cadence and shift, with examples; the exit status is 1 when there is any, 2 when a
tool fails.
"""
import argparse
import collections
import csv
import io
import subprocess
import sys


def read_tasks(path):
    """id -> (cadence, shift, start) from the generator's tasks.yaml (its own fixed layout)."""
    tasks, current = {}, None
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line.startswith("- id: "):
                current = line[6:]
                tasks[current] = {}
            elif current and ": " in line:
                key, value = line.split(": ", 1)
                tasks[current][key] = value.strip('"')
    return {k: (v.get("cadence"), v.get("shift", "none"), v.get("start")) for k, v in tasks.items()}


def run(cmd):
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0 or (proc.stderr.strip() and "remind" in cmd[0]):
        sys.stderr.write(f"crosscheck: {' '.join(cmd)} failed ({proc.returncode}):\n"
                         f"{proc.stderr[:2000]}\n")
        sys.exit(2)
    return proc.stdout


def socctl_pairs(binary, directory, year):
    out = run([binary, "--catalog", f"{directory}/tasks.yaml", "--roles",
               f"{directory}/roles.yaml", "plan", "--from", f"{year}-01-01", "--to",
               f"{year}-12-31", "-f", "csv"])
    return {(row["date"], row["task"]) for row in csv.DictReader(io.StringIO(out))}


def remind_pairs(binary, directory, year):
    out = run([binary, "-s12", f"{directory}/reminders.rem", f"{year}-01-01"])
    pairs = set()
    for line in out.splitlines():
        fields = line.split()
        # yyyy/mm/dd special tag duration time body; a timed body starts with "9:00am".
        pairs.add((fields[0].replace("/", "-"), fields[-1]))
    return pairs


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dir")
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--socctl", default="target/release/socctl")
    parser.add_argument("--remind", default="remind")
    parser.add_argument("--examples", type=int, default=3)
    args = parser.parse_args()
    tasks = read_tasks(f"{args.dir}/tasks.yaml")
    with open(f"{args.dir}/reminders-left-out.tsv", encoding="utf-8") as f:
        left_out = {line.split("\t")[0] for line in f if line.strip()}
    compared = set(tasks) - left_out
    ours = {p for p in socctl_pairs(args.socctl, args.dir, args.year) if p[1] in compared}
    theirs = remind_pairs(args.remind, args.dir, args.year)
    unknown = {p for p in theirs if p[1] not in compared}
    if unknown:
        sys.stderr.write(f"crosscheck: remind printed {len(unknown)} lines for unknown tasks, "
                         f"e.g. {sorted(unknown)[:3]}\n")
        sys.exit(2)
    only_socctl, only_remind = ours - theirs, theirs - ours
    print(f"year {args.year}: {len(tasks)} tasks, {len(compared)} compared, "
          f"{len(left_out)} left out (see reminders-left-out.tsv)")
    print(f"(date, task) pairs: socctl {len(ours)}, remind {len(theirs)}, "
          f"common {len(ours & theirs)}, only socctl {len(only_socctl)}, "
          f"only remind {len(only_remind)}")
    classes = collections.defaultdict(lambda: [[], [], set()])
    for side, pairs in ((0, only_socctl), (1, only_remind)):
        for date, task in sorted(pairs):
            cadence, shift, start = tasks[task]
            cls = classes[(cadence, shift)]
            cls[side].append((date, task, start))
            cls[2].add(task)
    for (cadence, shift), (mine, other, ids) in sorted(classes.items()):
        print(f"\n[{cadence}] shift {shift}: {len(ids)} tasks, {len(mine)} pairs only in socctl, "
              f"{len(other)} only in remind")
        for label, rows in (("only socctl", mine), ("only remind", other)):
            for date, task, start in rows[: args.examples]:
                print(f"  {label}: {date} {task} (start {start})")
    return 1 if only_socctl or only_remind else 0


if __name__ == "__main__":
    sys.exit(main())
