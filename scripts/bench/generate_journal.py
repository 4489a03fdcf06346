#!/usr/bin/env python3
"""Writes a synthetic socctl journal export (JSON Lines) of N `done` records for benchmarks.

Usage: generate_journal.py N OUT.jsonl [--seed S]

Records spread over 2024-01-01 .. 2026-11-25 across six tasks of the shipped catalog.
`journal import` refuses a second `done` of a settled occurrence, so an occurrence drawn
again gets an `undone` of its `done` (`undoes`), the next draw a `done` again, and so on;
each record of one occurrence is recorded a second after the one before. Reproducible for
a given N and seed; independent of socctl.
"""
import argparse
import datetime
import json
import random
import uuid

TASKS = [
    "update-escalation-tickets", "track-mdvm-remediation", "secure-score-report",
    "portal-license-management", "service-administration", "deploy-automation-scripts",
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int)
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    start = datetime.date(2024, 1, 1)
    settled = {}  # (task, day) -> the id of its standing `done`
    drawn = {}  # (task, day) -> how many records it has
    with open(args.out, "w", encoding="utf-8") as out:
        for _ in range(args.n):
            day = (start + datetime.timedelta(days=rng.randrange(0, 1060))).isoformat()
            record_id = str(uuid.UUID(int=rng.getrandbits(128)))
            key = (rng.choice(TASKS), day)
            k = drawn.get(key, 0)
            drawn[key] = k + 1
            record = {
                "id": record_id, "task": key[0], "occurrence": day, "action": "done",
                "on": day, "by": "bench",
                "recorded_at": f"{day}T08:{k // 60:02d}:{k % 60:02d}Z",
            }
            if key in settled:
                record["action"] = "undone"
                record["undoes"] = settled.pop(key)
            else:
                settled[key] = record_id
            out.write(json.dumps(record) + "\n")


if __name__ == "__main__":
    main()
