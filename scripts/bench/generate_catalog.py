#!/usr/bin/env python3
"""Writes a synthetic socctl catalog (tasks.yaml + roles.yaml) and the same schedules for remind.

Usage: generate_catalog.py N OUT_DIR [--seed S] [--start-year Y] [--classic-mix | --cron-heavy]
                           [--everyday-spellings]

N tasks across 50 teams with a realistic mix of every cadence form, holidays and shifts.
Reproducible: the same N and seed always give the same files. Independent of socctl.

Besides tasks.yaml and roles.yaml it writes:

- reminders.rem: the same schedules as a remind(1) file, one or more REM lines per task with
  the task id as the body, the catalog's holidays as OMITs and shifts as `OMIT Sat Sun
  AFTER|BEFORE`. Check it with `remind -s12 reminders.rem 2026-01-01`.
- reminders-left-out.tsv: the tasks that have no REM line and why (`as needed` work is never
  scheduled; `every N days after done` depends on the completion journal).

--start-year Y gives every task a start in year Y (month and day as usual), so that two
catalogs differ only in how long ago their tasks started. remind cannot represent dates before
1990: a REM line's anchor is then moved forward to the first occurrence on or after 1991-01-01
(the same dates from then on).

--classic-mix reproduces the catalogs of earlier benchmark runs exactly (only the first 22
cadence forms). By default, ids, teams, starts and shifts are still the same as those, and a
separate random stream gives about one task in six a cadence from the forms added later.

--cron-heavy draws every cadence from a second, differently weighted mix (CRON_HEAVY): about
half crontab rules (`#` and `L` weekdays, lists, ranges and steps), a quarter nth-weekday and
other monthly rules, and few daily ones (2 %, against 27 % in the default mix). Ids, teams,
starts and shifts come from the same random stream as in the other mixes.

--everyday-spellings writes about one task in three whose form has them in one of the
everyday spellings of SPELLINGS (`fortnightly on monday` for `every 2 weeks on monday`), with
the same REM lines: socctl must read each as the form it stands for. Without it the files
are as before.
"""
import argparse
import datetime
import os
import random

WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
# remind(1) cannot represent dates before 1990; anchors move forward to this day.
REMIND_EPOCH = datetime.date(1991, 1, 1)


class Ctx:
    """What a translation needs: the task's start and the earliest date remind can take."""

    def __init__(self, start):
        self.start = start
        self.eff = max(start, REMIND_EPOCH)

    def every_days(self, n, anchor=None):
        """`REM DATE *n` for every n days from anchor (default start), first date >= eff."""
        anchor = anchor or self.start
        first = anchor
        if first < self.eff:
            steps = -(-(self.eff - first).days // n)
            first = first + datetime.timedelta(days=steps * n)
        return (f"{first.isoformat()} *{n}", None, True)


def t(text, satisfy=None):
    """A trigger: its text, an optional SATISFY expression; FROM start is added."""
    return (text, satisfy, False)


def month_name(month):
    return MONTHS[month - 1]


def last_day(month=None):
    """The last day of `month` (1-12), or of every month: the day before the next 1st."""
    if month is None:
        return [t("1 --1")]
    return [t(f"{month_name(month % 12 + 1)} 1 --1")]


def day_of_month(day, month=None):
    """socctl's `on day N`: day N, or the last day of a month that is too short."""
    if day <= 28:
        return [t(f"{month_name(month)} {day}" if month else f"{day}")]
    if day == 31:
        return last_day(month)
    if month is None:  # 29, 30: where the day exists, else the last day of February
        return [t(f"{day}"), t("Mar 1 --1")]
    if month == 2:
        return last_day(2)
    return [t(f"{month_name(month)} {day}")]


def nth_weekday(n, weekday, month=None):
    """The nth (1-5, or -1 for the last) weekday (0 = Monday) of `month` or every month."""
    wd = WEEKDAYS[weekday]
    if n == -1:
        nxt = f"{month_name(month % 12 + 1)} " if month else ""
        return [t(f"{wd} {nxt}1 --7")]
    m = f"{month_name(month)} " if month else ""
    if n == 5:  # months without a fifth one are skipped
        return [t(f"{wd} {m}29", "day($T) > 28")]
    return [t(f"{wd} {m}{1 + 7 * (n - 1)}")]


def every_months(n, monthly):
    """`every n months [on …]` counted from the month of start: `monthly(month)` per month."""

    def rem(ctx):
        m0 = ctx.start.month - 1
        if 12 % n == 0:
            out = []
            for month in sorted({(m0 + n * k) % 12 + 1 for k in range(12 // n)}):
                out += monthly(month)
            return out
        base = ctx.start.year * 12 + m0
        cond = f"(year($T) * 12 + monnum($T) - 1 - {base}) % {n} == 0"
        out = []
        for text, sat, anchored in monthly(None):
            out.append((text, f"({sat}) && {cond}" if sat else cond, anchored))
        return out

    return rem


def every_weeks(n, weekdays):
    """`every n weeks on …`: the week (Monday first) containing start is the first."""

    def rem(ctx):
        week0 = ctx.start - datetime.timedelta(days=ctx.start.weekday())
        out = []
        for wd in weekdays:
            first = week0 + datetime.timedelta(days=wd)
            step = datetime.timedelta(days=7 * n)
            while first < ctx.start:
                first += step
            out.append(ctx.every_days(7 * n, first))
        return out

    return rem


def fixed(*triggers):
    return lambda ctx: [t(x) for x in triggers]


MON_FRI = "Mon Tue Wed Thu Fri"
# remind: the weekday (0 = Sunday) of the 15th of the month of the trigger date.
W15 = "wkdaynum(date(year($T), monnum($T), 15))"
# (cadence, weight, translation to remind triggers or a reason it has none, shift_is_noop).
# Every date is a date in socctl's sense; `at` times do not change dates (DST included).
CLASSIC = [
    ("daily", 20, lambda c: [c.every_days(1)], False),
    ("workdays", 10, fixed(f"{MON_FRI} SKIP"), True),
    ("weekly", 12, fixed("Mon"), False),
    ("weekly on friday", 8, fixed("Fri"), False),
    ("weekly on mon, thu", 4, fixed("Mon Thu"), False),
    ("every 2 weeks on monday", 5, every_weeks(2, [0]), False),
    ("every 3 days", 3, lambda c: [c.every_days(3)], False),
    ("monthly", 6, fixed("1"), False),
    ("monthly on day 15", 4, fixed("15"), False),
    ("monthly on day 31", 2, lambda c: day_of_month(31), False),
    ("monthly on the last day", 3, lambda c: last_day(), False),
    ("monthly on the first monday", 4, lambda c: nth_weekday(1, 0), False),
    ("monthly on the last workday", 3, fixed("1 -1 OMIT Sat Sun"), True),
    ("quarterly", 3, lambda c: [t(f"{m} 1") for m in ("Jan", "Apr", "Jul", "Oct")], False),
    ("yearly on 03-31", 2, fixed("Mar 31"), False),
    ("as needed", 3, "as needed: never scheduled, only triggered", False),
    ("weekly and as needed", 3, fixed("Mon"), False),
    ("monthly and as needed", 2, fixed("1"), False),
    ("daily at 09:00", 2, lambda c: [c.every_days(1)], False),
    ("cron: 0 9 * * 1-5", 3, fixed(MON_FRI), False),
    ("cron: 30 2 * * *", 1, lambda c: [c.every_days(1)], False),
    # Vixie cron: day-of-month and day-of-week both restricted, either one matching.
    ("cron: 0 8 1-7 * 1", 1, fixed("Mon", "1", "2", "3", "4", "5", "6", "7"), False),
]
EXTRA = [
    ("every day", 2, lambda c: [c.every_days(1)], False),
    ("every workday at 07:30", 2, fixed(f"{MON_FRI} SKIP"), True),
    ("every 10 days", 2, lambda c: [c.every_days(10)], False),
    ("every 3 days after done", 1, "after done: depends on the completion journal", False),
    ("weekly on saturday", 2, fixed("Sat"), False),
    ("weekly on sun", 1, fixed("Sun"), False),
    ("every 3 weeks on tue, fri", 2, every_weeks(3, [1, 4]), False),
    ("every 4 weeks on sunday at 22:00", 1, every_weeks(4, [6]), False),
    ("monthly on the 29th", 1, lambda c: day_of_month(29), False),
    ("monthly on day 30", 1, lambda c: day_of_month(30), False),
    ("monthly on the second tuesday", 2, lambda c: nth_weekday(2, 1), False),
    ("monthly on the third wednesday", 1, lambda c: nth_weekday(3, 2), False),
    ("monthly on the fourth thursday", 1, lambda c: nth_weekday(4, 3), False),
    ("monthly on the fifth monday", 1, lambda c: nth_weekday(5, 0), False),
    ("monthly on the last friday", 2, lambda c: nth_weekday(-1, 4), False),
    ("monthly on the first workday", 2, fixed("1 OMIT Sat Sun AFTER"), True),
    ("every 2 months", 1, every_months(2, lambda m: day_of_month(1, m)), False),
    ("every 2 months on the last friday", 1,
     every_months(2, lambda m: nth_weekday(-1, 4, m)), False),
    ("every 6 months on day 31", 1, every_months(6, lambda m: day_of_month(31, m)), False),
    ("every 5 months on day 10", 1, every_months(5, lambda m: day_of_month(10, m)), False),
    ("every 4 months on the first workday", 1, every_months(
        4, lambda m: [t(f"{month_name(m)} 1 OMIT Sat Sun AFTER")] if m else
        [t("1 OMIT Sat Sun AFTER")]), True),
    ("quarterly on day 31", 1, lambda c: [x for m in (1, 4, 7, 10) for x in day_of_month(31, m)],
     False),
    ("yearly", 1, fixed("Jan 1"), False),
    ("yearly on 02-29", 1, lambda c: last_day(2), False),
    ("annually on 12-24", 1, fixed("Dec 24"), False),
    ("weekly on friday at 16:00", 1, fixed("Fri"), False),
    ("cron: 0 9 L * *", 1, lambda c: last_day(), False),
    ("cron: 0 9 * * 5#2", 1, lambda c: nth_weekday(2, 4), False),
    ("cron: 0 9 * * 5L", 1, lambda c: nth_weekday(-1, 4), False),
    # Nearest weekday to the 15th: the 15th on a weekday, Friday the 14th, Monday the 16th.
    # The conditions look at the 15th itself: SATISFY sees the date after a shift.
    ("cron: 0 9 15W * *", 1, lambda c: [t("15", f"{W15} >= 1 && {W15} <= 5"),
                                        t("14", f"{W15} == 6"), t("16", f"{W15} == 0")], False),
    ("cron: 0 9 31 * *", 1, fixed("31"), False),  # cron's meaning: 31-day months only
    ("cron: 0 0 6 * * SAT,SUN", 1, fixed("Sat Sun"), False),
    ("cron: 15 3 1,15 */2 *", 1, lambda c: [t(f"{m} {d}") for m in MONTHS[::2] for d in (1, 15)],
     False),
    ("cron: */20 * * * *", 1, lambda c: [c.every_days(1)], False),
]
# Forms only the cron-heavy mix uses (translated like the others).
MORE = [
    ("cron: 0 9 * * 1#1", 0, lambda c: nth_weekday(1, 0), False),
    ("cron: 30 10 * * 2#3", 0, lambda c: nth_weekday(3, 1), False),
    ("cron: 0 7 * * 4#4", 0, lambda c: nth_weekday(4, 3), False),
    ("cron: 0 8 * * 1L", 0, lambda c: nth_weekday(-1, 0), False),
    ("cron: 0 6 * * 1,3,5", 0, fixed("Mon Wed Fri"), False),
    ("cron: 0 12 1 */3 *", 0, lambda c: [t(f"{m} 1") for m in ("Jan", "Apr", "Jul", "Oct")],
     False),
    ("cron: 0 18 * * 0", 0, fixed("Sun"), False),
    ("cron: 0 9 10 * *", 0, fixed("10"), False),
    ("cron: 0 9 1-5 * *", 0, fixed("1", "2", "3", "4", "5"), False),
    ("cron: 45 23 * * 6", 0, fixed("Sat"), False),
    ("monthly on the second friday", 0, lambda c: nth_weekday(2, 4), False),
    ("monthly on the third monday", 0, lambda c: nth_weekday(3, 0), False),
    ("monthly on the last tuesday", 0, lambda c: nth_weekday(-1, 1), False),
    ("every 3 months on the second wednesday", 0,
     every_months(3, lambda m: nth_weekday(2, 2, m)), False),
]
# The cron-heavy mix (--cron-heavy): form and weight; the forms are those of CLASSIC, EXTRA
# and MORE.
CRON_HEAVY = [
    ("cron: 0 9 * * 1-5", 5), ("cron: 0 8 1-7 * 1", 3), ("cron: 0 9 L * *", 3),
    ("cron: 0 9 * * 5#2", 4), ("cron: 0 9 * * 5L", 4), ("cron: 0 9 15W * *", 3),
    ("cron: 0 9 31 * *", 2), ("cron: 0 0 6 * * SAT,SUN", 2), ("cron: 15 3 1,15 */2 *", 3),
    ("cron: 0 9 * * 1#1", 4), ("cron: 30 10 * * 2#3", 4), ("cron: 0 7 * * 4#4", 3),
    ("cron: 0 8 * * 1L", 3), ("cron: 0 6 * * 1,3,5", 3), ("cron: 0 12 1 */3 *", 2),
    ("cron: 0 18 * * 0", 2), ("cron: 0 9 10 * *", 3), ("cron: 0 9 1-5 * *", 2),
    ("cron: 45 23 * * 6", 2),
    ("monthly on the first monday", 4), ("monthly on the second tuesday", 3),
    ("monthly on the third wednesday", 2), ("monthly on the fourth thursday", 2),
    ("monthly on the fifth monday", 2), ("monthly on the last friday", 3),
    ("monthly on the second friday", 2), ("monthly on the third monday", 2),
    ("monthly on the last tuesday", 2), ("every 3 months on the second wednesday", 2),
    ("every 2 months on the last friday", 1), ("monthly on the first workday", 2),
    ("monthly on the last workday", 2), ("monthly on day 15", 2), ("monthly on day 31", 1),
    ("quarterly", 1), ("yearly on 03-31", 1),
    ("weekly on friday", 2), ("weekly on mon, thu", 1), ("every 2 weeks on monday", 1),
    ("every 3 weeks on tue, fri", 1), ("workdays", 1), ("every 10 days", 1),
    ("daily", 1), ("daily at 09:00", 1), ("as needed", 1),
]
# Everyday spellings of some forms, each meaning exactly the form (docs/cadences.md).
SPELLINGS = {
    "weekly on friday": ["every friday", "Every Fri"],
    "weekly on mon, thu": ["every monday and thursday", "every mon, thu"],
    "every 2 weeks on monday": ["biweekly on monday", "fortnightly on monday",
                                "every other week on monday", "every other monday"],
    "every 3 weeks on tue, fri": ["every 3 weeks on tuesday and friday"],
    "monthly on the first monday": ["first monday of the month",
                                    "the first monday of every month"],
    "monthly on the second tuesday": ["the 2nd tuesday of each month"],
    "monthly on the last friday": ["the last friday of every month", "last friday of the month"],
    "monthly on the last workday": ["the last workday of the month"],
    "monthly on the first workday": ["first workday of every month"],
    "monthly on the last day": ["the last day of the month"],
    "monthly on day 15": ["the 15th of every month"],
    "yearly on 03-31": ["annually on 03-31"],
    "daily at 09:00": ["daily at 9am", "daily at 9:00 am"],
    "every workday at 07:30": ["every workday at 7:30am"],
    "every 4 weeks on sunday at 22:00": ["every 4 weeks on sunday at 10pm"],
    "weekly on friday at 16:00": ["every friday at 4 pm"],
    "every 6 months on day 31": ["semiannually on day 31"],
    "every 2 months": ["every 2 months on day 1"],
}
SHIFTS = ["none"] * 6 + ["next-workday"] * 3 + ["previous-workday"]
HOLIDAYS = ["2026-01-01", "2026-04-02", "2026-04-03", "2026-04-06", "2026-05-14",
            "2026-05-25", "2026-06-05", "2026-12-24", "2026-12-25", "2026-12-31", "2027-01-01"]


def is_workday(day):
    """Monday to Friday and not a holiday: the generated catalogs' work days."""
    return day.weekday() < 5 and day.isoformat() not in HOLIDAYS


def rem_lines(form, start, shift, task_id):
    """The REM lines for one task, or a string: why there are none."""
    _, _, rem, shift_noop = form
    if isinstance(rem, str):
        return rem
    ctx = Ctx(start)
    tail = ""
    if shift != "none" and not shift_noop:
        tail = " AFTER" if shift == "next-workday" else " BEFORE"
    # socctl moves occurrences of the rule, and the rule starts at `start`; remind's FROM bounds
    # the moved date and its AFTER looks back before FROM. When the day before start is not a
    # work day, the first work day W on or after start would get a base from before start: W
    # is then kept only if the rule falls in [start, W] (evaltrig scans from start).
    first_workday = None
    if (shift == "next-workday" and not shift_noop and ctx.eff == start
            and not is_workday(start - datetime.timedelta(days=1))):
        first_workday = start
        while not is_workday(first_workday):
            first_workday += datetime.timedelta(days=1)
    lines = []
    for text, satisfy, anchored in rem(ctx):
        if first_workday and not anchored:
            w = first_workday.isoformat()
            # evaltrig takes no SATISFY: the condition is tested on the date it finds (a rule
            # with SATISFY falls at most once in [start, W], a span of at most 5 days).
            base = f"evaltrig(\"{text}\", '{start.isoformat()}')"
            cond = f"{base} <= '{w}'"
            if satisfy:
                cond += f" && ({satisfy.replace('$T', base)})"
            lines += [f"IF {cond}", f"REM {w} MSG {task_id}", "ENDIF"]
            satisfy = f"$T != '{w}'" + (f" && ({satisfy})" if satisfy else "")
        if anchored and shift == "previous-workday":  # a `*N` rule has no FROM to bound BEFORE
            satisfy = f"$T >= '{ctx.eff.isoformat()}'"
        parts = ["REM", text]
        if tail:
            if "OMIT" not in text:
                parts.append("OMIT Sat Sun")
            parts.append(tail.strip())
        if not anchored:
            parts.append(f"FROM {ctx.eff.isoformat()}")
        if satisfy:
            parts.append(f"SATISFY [{satisfy}]")
        parts.append(f"MSG {task_id}")
        lines.append(" ".join(parts))
    return lines


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int)
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--start-year", type=int, help="every start in this year")
    parser.add_argument("--classic-mix", action="store_true",
                        help="only the first 22 cadence forms (catalogs of earlier runs)")
    parser.add_argument("--cron-heavy", action="store_true",
                        help="draw cadences from the CRON_HEAVY mix (more cron and nth-weekday "
                             "rules, fewer daily ones)")
    parser.add_argument("--everyday-spellings", action="store_true",
                        help="write some forms in the everyday spellings of SPELLINGS")
    args = parser.parse_args()
    if args.classic_mix and args.cron_heavy:
        parser.error("--classic-mix and --cron-heavy are two different mixes: give one")
    forms = {form[0]: form for form in CLASSIC + EXTRA + MORE}
    heavy_forms = [forms[name] for name, _ in CRON_HEAVY]
    heavy_weights = [w for _, w in CRON_HEAVY]
    rng = random.Random(args.seed)
    extra_rng = random.Random(f"extra-{args.seed}")
    spelling_rng = random.Random(f"spelling-{args.seed}")
    os.makedirs(args.out, exist_ok=True)
    teams = [f"team-{i:02d}" for i in range(50)]
    with open(os.path.join(args.out, "roles.yaml"), "w", encoding="utf-8") as roles:
        roles.write("version: 1\nteams:\n")
        for team in teams:
            roles.write(f"  - id: {team}\n    name: \"Team {team[5:]}\"\n"
                        f"    responsibilities: [\"Monitoring\"]\n    defender_tasks: []\n")
    weights = [w for _, w, _, _ in CLASSIC]
    extra_weights = [w for _, w, _, _ in EXTRA]
    tasks = open(os.path.join(args.out, "tasks.yaml"), "w", encoding="utf-8")
    rem = open(os.path.join(args.out, "reminders.rem"), "w", encoding="utf-8")
    left_out = open(os.path.join(args.out, "reminders-left-out.tsv"), "w", encoding="utf-8")
    with tasks, rem, left_out:
        tasks.write("version: 1\ntimezone: Europe/Copenhagen\n")
        tasks.write(f"holidays: [{', '.join(HOLIDAYS)}]\n")
        tasks.write("tasks:\n")
        rem.write(f"# The schedules of tasks.yaml ({args.n} tasks, seed {args.seed}) for remind(1),\n"
                  "# written by scripts/bench/generate_catalog.py; tasks without REM lines are listed,\n"
                  "# with the reason, in reminders-left-out.tsv and below as comments.\n")
        rem.write("".join(f"OMIT {day}\n" for day in HOLIDAYS))
        for i in range(args.n):
            form = rng.choices(CLASSIC, weights)[0]
            team = rng.choice(teams) if rng.random() > 0.02 else "all"
            year = rng.randint(2000, 2026)
            if args.start_year is not None:
                year = args.start_year
            start = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
            shift = rng.choice(SHIFTS)
            if args.cron_heavy:
                form = extra_rng.choices(heavy_forms, heavy_weights)[0]
            elif not args.classic_mix and extra_rng.random() < 1 / 6:
                form = extra_rng.choices(EXTRA, extra_weights)[0]
            task_id = f"task-{i:06d}"
            written = form[0]
            if (args.everyday_spellings and written in SPELLINGS
                    and spelling_rng.random() < 1 / 3):
                written = spelling_rng.choice(SPELLINGS[written])
            tasks.write(f"  - id: {task_id}\n    title: \"Maintenance activity {i}\"\n"
                        f"    description: \"Synthetic task {i} for benchmarks\"\n"
                        f"    cadence: \"{written}\"\n    team: {team}\n"
                        f"    start: {start.isoformat()}\n    shift: {shift}\n")
            lines = rem_lines(form, start, shift, task_id)
            if isinstance(lines, str):
                rem.write(f"# {task_id} left out: {lines}\n")
                left_out.write(f"{task_id}\t{form[0]}\t{lines}\n")
            else:
                rem.write("".join(line + "\n" for line in lines))


if __name__ == "__main__":
    main()
