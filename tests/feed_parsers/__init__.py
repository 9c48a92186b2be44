"""The feed read by independent iCalendar parsers, as calendar apps would read it.

Each reader turns the feed's bytes into the same plain `ReadFeed`, so that a test
can compare what the parsers understood. ical.js runs under Node.js; without
`node` on the PATH its reader skips the test that asked for it.
"""

import json
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
import vobject
from icalendar import Calendar

ROOT = Path(__file__).resolve().parents[2]
ICAL_JS_SCRIPT = Path(__file__).with_name("read_feed.mjs")
ICAL_JS_PACKAGE = ROOT / "node_modules" / "ical.js" / "package.json"
# RFC 5545 3.1: lines SHOULD NOT be longer than 75 octets, excluding the CRLF.
LONGEST_LINE = 75


@dataclass(frozen=True)
class ReadEvent:
    uid: str
    summary: str
    description: str | None
    start: datetime
    end: datetime
    sequence: int


@dataclass(frozen=True)
class ReadFeed:
    version: str | None
    prodid: str | None
    calname: str | None
    method: str | None
    events: list[ReadEvent]

    def by_uid(self) -> dict[str, ReadEvent]:
        return {event.uid: event for event in self.events}


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def read_with_icalendar(feed: bytes) -> ReadFeed:
    """The Python icalendar package (the one that also writes the feed)."""
    calendar = Calendar.from_ical(feed)
    events = [
        ReadEvent(
            uid=str(event["UID"]),
            summary=str(event["SUMMARY"]),
            description=_text(event.get("DESCRIPTION")),
            start=event.decoded("DTSTART"),
            end=event.decoded("DTEND"),
            sequence=int(event.decoded("SEQUENCE", 0)),
        )
        for event in calendar.walk("VEVENT")
    ]
    return ReadFeed(
        version=_text(calendar.get("VERSION")),
        prodid=_text(calendar.get("PRODID")),
        calname=_text(calendar.get("X-WR-CALNAME")),
        method=_text(calendar.get("METHOD")),
        events=events,
    )


def _vobject_value(component: object, name: str) -> object:
    found = getattr(component, f"{name}_list", None)
    return found[0].value if found else None


def read_with_vobject(feed: bytes) -> ReadFeed:
    """vobject, which also checks each component's required and unique properties."""
    calendar = vobject.readOne(feed.decode("utf-8"), validate=True)
    calendar.validate(raiseException=True, complainUnrecognized=False)
    events = [
        ReadEvent(
            uid=event.uid.value,
            summary=event.summary.value,
            description=_text(_vobject_value(event, "description")),
            start=event.dtstart.value,
            end=event.dtend.value,
            sequence=int(_vobject_value(event, "sequence") or 0),
        )
        for event in getattr(calendar, "vevent_list", [])
    ]
    return ReadFeed(
        version=_text(_vobject_value(calendar, "version")),
        prodid=_text(_vobject_value(calendar, "prodid")),
        calname=_text(_vobject_value(calendar, "x_wr_calname")),
        method=_text(_vobject_value(calendar, "method")),
        events=events,
    )


def ical_js_version() -> str:
    return json.loads(ICAL_JS_PACKAGE.read_text(encoding="utf-8"))["version"]


def _ical_js_instant(read: dict[str, object]) -> datetime:
    # ical.js names UTC times with a Z; a floating or zoned time would be wrong here.
    assert read["utc"], f"ical.js did not read a UTC time: {read}"
    return datetime.fromisoformat(str(read["text"])).astimezone(UTC)


def read_with_ical_js(feed: bytes) -> ReadFeed:
    """ical.js (Mozilla's parser, used by web calendars) under Node.js."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed, so ical.js cannot read the feed")
    assert ICAL_JS_PACKAGE.exists(), "ical.js is missing: run `npm ci` first"
    finished = subprocess.run(
        [node, str(ICAL_JS_SCRIPT)],
        input=feed,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr.decode(errors="replace")
    calendar = json.loads(finished.stdout)
    events = [
        ReadEvent(
            uid=event["uid"],
            summary=event["summary"],
            description=event["description"],
            start=_ical_js_instant(event["dtstart"]),
            end=_ical_js_instant(event["dtend"]),
            sequence=int(event["sequence"] or 0),
        )
        for event in calendar["events"]
    ]
    assert calendar["name"] == "vcalendar", calendar["name"]
    return ReadFeed(
        version=calendar["version"],
        prodid=calendar["prodid"],
        calname=calendar["calname"],
        method=calendar["method"],
        events=events,
    )


PARSERS: dict[str, Callable[[bytes], ReadFeed]] = {
    "icalendar": read_with_icalendar,
    "ical.js": read_with_ical_js,
    "vobject": read_with_vobject,
}


def format_problems(feed: bytes) -> list[str]:
    """What breaks RFC 5545's line rules: line ends, length, UTF-8, folding."""
    problems = []
    if not feed.endswith(b"\r\n"):
        problems.append("the feed does not end with CRLF")
    for number, line in enumerate(feed.split(b"\r\n")[:-1], start=1):
        if b"\r" in line or b"\n" in line:
            problems.append(f"line {number} has a bare CR or LF: {line!r}")
        if len(line) > LONGEST_LINE:
            problems.append(f"line {number} has {len(line)} octets: {line!r}")
        # Each physical line must decode on its own: a fold that splits a
        # multi-byte character leaves a broken sequence at both of its ends.
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as error:
            problems.append(f"line {number} is not UTF-8 on its own: {error}")
    return problems


def unfolded(feed: bytes) -> list[str]:
    """The logical content lines: each CRLF plus one space or tab is removed."""
    text = feed.decode("utf-8")
    for fold in ("\r\n ", "\r\n\t"):
        text = text.replace(fold, "")
    return text.split("\r\n")[:-1]
