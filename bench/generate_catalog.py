#!/usr/bin/env python3
"""Writes a synthetic socctl catalog (tasks.yaml + roles.yaml) for benchmarks.

Usage: generate_catalog.py N OUT_DIR [--seed S]

N tasks across 50 teams with a realistic mix of every cadence form, holidays and shifts.
Reproducible: the same N and seed always give the same files. Independent of socctl.
"""
import argparse
import os
import random

CADENCES = [
    ("daily", 20), ("workdays", 10), ("weekly", 12), ("weekly on friday", 8),
    ("weekly on mon, thu", 4), ("every 2 weeks on monday", 5), ("every 3 days", 3),
    ("monthly", 6), ("monthly on day 15", 4), ("monthly on day 31", 2),
    ("monthly on the last day", 3), ("monthly on the first monday", 4),
    ("monthly on the last workday", 3), ("quarterly", 3), ("yearly on 03-31", 2),
    ("as needed", 3), ("weekly and as needed", 3), ("monthly and as needed", 2),
    ("daily at 09:00", 2), ("cron: 0 9 * * 1-5", 3), ("cron: 30 2 * * *", 1),
    ("cron: 0 8 1-7 * 1", 1),
]
SHIFTS = ["none"] * 6 + ["next-workday"] * 3 + ["previous-workday"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int)
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)
    teams = [f"team-{i:02d}" for i in range(50)]
    with open(os.path.join(args.out, "roles.yaml"), "w", encoding="utf-8") as roles:
        roles.write("version: 1\nteams:\n")
        for team in teams:
            roles.write(f"  - id: {team}\n    name: \"Team {team[5:]}\"\n"
                        f"    responsibilities: [\"Monitoring\"]\n    defender_tasks: []\n")
    forms, weights = zip(*CADENCES)
    with open(os.path.join(args.out, "tasks.yaml"), "w", encoding="utf-8") as tasks:
        tasks.write("version: 1\ntimezone: Europe/Copenhagen\n")
        tasks.write("holidays: [2026-01-01, 2026-04-02, 2026-04-03, 2026-04-06, 2026-05-14, "
                    "2026-05-25, 2026-06-05, 2026-12-24, 2026-12-25, 2026-12-31, 2027-01-01]\n")
        tasks.write("tasks:\n")
        for i in range(args.n):
            cadence = rng.choices(forms, weights)[0]
            team = rng.choice(teams) if rng.random() > 0.02 else "all"
            start = f"{rng.randint(2000, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            tasks.write(f"  - id: task-{i:06d}\n    title: \"Maintenance activity {i}\"\n"
                        f"    description: \"Synthetic task {i} for benchmarks\"\n"
                        f"    cadence: \"{cadence}\"\n    team: {team}\n    start: {start}\n"
                        f"    shift: {rng.choice(SHIFTS)}\n")


if __name__ == "__main__":
    main()
