// Expand an iCalendar file with Mozilla's ical.js (the parser Thunderbird uses), for
// tests/ics_export.rs: a second client's reading, beside expand_ics.py's.
//
// Usage: node expand_ics.mjs FILE ZONE FROM TO
//
// ical.js is loaded from $SOCCTL_TEST_NODE_MODULES (scripts/test installs a pinned version
// in target/test-node/node_modules and sets it). Every VTIMEZONE of the file is registered
// with ical.js's TimezoneService, so times are read with the file's own zones, not
// looked up by name. Every event is expanded (DTSTART, RRULE, RDATE, EXDATE) with
// ICAL.Event's iterator, and each instance from FROM to TO (inclusive) is printed as
// one JSON array, sorted, in expand_ics.py's format:
//
//     ["YYYY-MM-DD", "HH:MM" or "", "uid", "summary"]
//
// Timed instances are printed as wall-clock times in ZONE (an IANA name) after going
// through UTC. It fails (exit status 1) on a timed value with no zone (floating, or a
// TZID the file has no VTIMEZONE for). Exit status 3 means ical.js is missing.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

function fail(message, status = 1) {
  process.stderr.write(`expand_ics.mjs: ${message}\n`);
  process.exit(status);
}

const modules = process.env.SOCCTL_TEST_NODE_MODULES;
if (!modules) {
  fail("SOCCTL_TEST_NODE_MODULES is not set (scripts/test sets it)", 3);
}
let ICAL;
try {
  ICAL = (await import(pathToFileURL(join(modules, "ical.js", "dist", "ical.js")).href))
    .default;
} catch (error) {
  fail(`cannot load ical.js from ${modules}: ${error.message}`, 3);
}

if (process.argv.length !== 6) {
  fail("usage: node expand_ics.mjs FILE ZONE FROM TO");
}
const [path, zone, first, last] = process.argv.slice(2);

const calendar = new ICAL.Component(ICAL.parse(readFileSync(path, "utf8")));
for (const vtimezone of calendar.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(vtimezone);
}

// Wall-clock date and time of an instant in `zone`.
const local = new Intl.DateTimeFormat("en-CA", {
  timeZone: zone,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});
function wallClock(date) {
  const parts = Object.fromEntries(local.formatToParts(date).map((p) => [p.type, p.value]));
  return [`${parts.year}-${parts.month}-${parts.day}`, `${parts.hour}:${parts.minute}`];
}

function dateOnly(time) {
  const pad = (n, width = 2) => String(n).padStart(width, "0");
  return `${pad(time.year, 4)}-${pad(time.month)}-${pad(time.day)}`;
}

// Instances are looked at up to a day past TO, so that a time that lands on TO in ZONE
// is not cut off by a zone ahead of it.
const stop = ICAL.Time.fromDateString(last);
stop.adjust(2, 0, 0, 0);

const rows = [];
for (const vevent of calendar.getAllSubcomponents("vevent")) {
  const event = new ICAL.Event(vevent);
  const iterator = event.iterator();
  for (let next = iterator.next(); next; next = iterator.next()) {
    if (next.compare(stop) > 0) {
      break;
    }
    let day;
    let time = "";
    if (next.isDate) {
      day = dateOnly(next);
    } else {
      const zoneOf = next.zone;
      if (!zoneOf || zoneOf === ICAL.Timezone.localTimezone) {
        fail(`floating time (or a TZID without a VTIMEZONE) in ${event.uid}: ${next}`);
      }
      [day, time] = wallClock(next.toJSDate());
    }
    if (first <= day && day <= last) {
      rows.push([day, time, event.uid, event.summary]);
    }
  }
}

const text = rows.map((row) => JSON.stringify(row));
text.sort();
for (const line of text) {
  process.stdout.write(`${line}\n`);
}
