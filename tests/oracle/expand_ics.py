#!/usr/bin/env python3
"""Expand an iCalendar file with independent RFC 5545 parsers, for tests/ics_export.rs.

Usage: expand_ics.py FILE ZONE FROM TO

Parses FILE with `icalendar`, expands every event's RRULE/RDATE/EXDATE with
`recurring_ical_events` (python-dateutil underneath) between the dates FROM and TO
(inclusive), and prints one JSON array per instance, sorted:

    ["YYYY-MM-DD", "HH:MM" or "", "uid", "summary"]

Timed instances are printed as wall-clock times in ZONE (an IANA name), after going through
UTC, so that a local time that does not exist (a spring-forward gap) reads as the instant
RFC 5545 section 3.3.5 says it is. All-day instances have an empty time.

It also checks, and exits with status 1 on failure, that:
- icalendar reports no property it could not parse;
- no instance is a floating time (every timed value has a zone or is UTC);
- each VTIMEZONE, read on its own (not looked up by name), gives the same UTC offsets as
  the time-zone database over the span of the timed instances.

Exit status 3 means the Python packages are missing (the caller decides whether to skip).
"""

import datetime
import json
import sys

try:
    import icalendar
    import recurring_ical_events
    from zoneinfo import ZoneInfo
except ImportError as error:  # pragma: no cover - reported to the Rust test
    print(f"missing Python package: {error}", file=sys.stderr)
    sys.exit(3)


def fail(message):
    print(f"expand_ics.py: {message}", file=sys.stderr)
    sys.exit(1)


def zone_named(name):
    if name.upper() in ("UTC", "ETC/UTC"):
        return datetime.timezone.utc
    return ZoneInfo(name)


def main():
    if len(sys.argv) != 5:
        fail("usage: expand_ics.py FILE ZONE FROM TO")
    path, zone_name, first, last = sys.argv[1:]
    zone = zone_named(zone_name)
    first = datetime.date.fromisoformat(first)
    last = datetime.date.fromisoformat(last)
    with open(path, "rb") as file:
        calendar = icalendar.Calendar.from_ical(file.read())

    for component in calendar.walk():
        if component.errors:
            fail(f"{component.name}: {component.errors}")

    rows = []
    instants = []
    end = last + datetime.timedelta(days=1)
    for event in recurring_ical_events.of(calendar).between(first, end):
        start = event["DTSTART"].dt
        if isinstance(start, datetime.datetime):
            if start.tzinfo is None:
                fail(f"floating time in {event['UID']}: {start}")
            instant = start.astimezone(datetime.timezone.utc)
            instants.append(instant)
            local = instant.astimezone(zone)
            day, time = local.date(), local.strftime("%H:%M")
        else:
            day, time = start, ""
        if first <= day <= last:
            rows.append([day.isoformat(), time, str(event["UID"]), str(event["SUMMARY"])])

    check_vtimezones(calendar, instants)
    rows.sort()
    for row in rows:
        print(json.dumps(row, ensure_ascii=False))


def check_vtimezones(calendar, instants):
    """Every VTIMEZONE must agree with the tz database, hour by hour, where it is used."""
    if not instants:
        return
    begin = min(instants) - datetime.timedelta(days=1)
    end = max(instants) + datetime.timedelta(days=1)
    for vtimezone in calendar.walk("VTIMEZONE"):
        tzid = str(vtimezone["TZID"])
        own = vtimezone.to_tz(lookup_tzid=False)
        reference = ZoneInfo(tzid)
        moment = begin
        while moment <= end:
            mine = moment.astimezone(own).utcoffset()
            theirs = moment.astimezone(reference).utcoffset()
            if mine != theirs:
                fail(f"VTIMEZONE {tzid} says {mine} at {moment}, the tz database {theirs}")
            moment += datetime.timedelta(minutes=30)


if __name__ == "__main__":
    main()
