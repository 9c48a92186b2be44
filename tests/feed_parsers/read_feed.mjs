// Reads an iCalendar feed from stdin with ical.js, as web calendar apps do, and
// prints what it understood as JSON. Bytes that are not UTF-8 make it fail.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const bytes = readFileSync(0);
const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
const calendar = new ICAL.Component(ICAL.parse(text));

const property = (component, name) => {
  const value = component.getFirstPropertyValue(name);
  return value === null ? null : String(value);
};

const instant = (component, name) => {
  const time = component.getFirstPropertyValue(name);
  if (time === null) return null;
  // toString() keeps the Z of a UTC time; a floating or zoned one would lack it.
  return { text: time.toString(), utc: time.zone === ICAL.Timezone.utcTimezone };
};

const events = calendar.getAllSubcomponents("vevent").map((vevent) => {
  const event = new ICAL.Event(vevent);
  return {
    uid: event.uid,
    summary: event.summary,
    description: event.description,
    dtstart: instant(vevent, "dtstart"),
    dtend: instant(vevent, "dtend"),
    sequence: event.sequence,
    seconds: event.duration.toSeconds(),
  };
});

process.stdout.write(
  JSON.stringify({
    name: calendar.name,
    version: property(calendar, "version"),
    prodid: property(calendar, "prodid"),
    calname: property(calendar, "x-wr-calname"),
    method: property(calendar, "method"),
    events,
  }),
);
