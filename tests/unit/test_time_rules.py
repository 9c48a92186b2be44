"""The README's time rules as properties: any input, not only the examples.

Durations in every form mean the same exact seconds; hours are summed from exact
seconds and rounded once; a named period is exactly the owner's local days.
"""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from clocks import timesheet
from clocks.durations import parse_duration
from clocks.entry import Caller, Entry, Timer
from clocks.periods import PERIODS, period_range

ZONES = [ZoneInfo(name) for name in ("Europe/Berlin", "America/New_York", "UTC")]
ZONES.append(ZoneInfo("Pacific/Auckland"))
# A Wednesday; the summaries below ask for whole years around it.
NOW = datetime(2026, 4, 22, 10, 0, tzinfo=UTC)
DAY = 24 * 3600


def exact(number: Decimal) -> str:
    """A decimal as people write it: 1.5, 0.25, 10; never 1E+1."""
    return format(number.normalize(), "f")


@settings(max_examples=200)
@given(st.integers(0, 24), st.integers(0, 59))
def test_hours_and_minutes_written_any_way_are_the_same_exact_seconds(h, m):
    seconds = h * 3600 + m * 60
    assume(0 < seconds <= DAY)

    expected = timedelta(seconds=seconds)
    forms = [f"{h}h{m}m", f"{h}h {m}m", f"{h}:{m:02d}", f"{h * 60 + m}m"]
    if m % 3 == 0:
        # Only then is the number of hours a finite decimal: 1h18m is 1.3h.
        forms.append(f"{exact(Decimal(seconds) / 3600)}h")

    assert {form: parse_duration(form) for form in forms} == dict.fromkeys(
        forms, expected
    )


@settings(max_examples=200)
@given(st.integers(1, DAY // 9).map(lambda ninths: ninths * 9))
def test_decimal_hours_are_exact_to_the_second(seconds):
    # A multiple of 9 seconds is a decimal number of hours with at most 4 places.
    hours = exact(Decimal(seconds) / 3600)

    assert parse_duration(f"{hours}h") == timedelta(seconds=seconds)
    assert parse_duration(f"{hours} hours") == timedelta(seconds=seconds)


@settings(max_examples=200)
@given(st.integers(1, DAY // 3).map(lambda thirds: thirds * 3))
def test_decimal_minutes_are_exact_to_the_second(seconds):
    minutes = exact(Decimal(seconds) / 60)

    assert parse_duration(f"{minutes}m") == timedelta(seconds=seconds)
    assert parse_duration(f"{minutes}min") == timedelta(seconds=seconds)


class MemoryEntries:
    """The two reads that summaries and invoices make, over a list."""

    def __init__(self, entries: list[Entry], timer: Timer | None = None) -> None:
        self.entries = entries
        self.timer = timer

    def entries_between(self, owner, since, until, customer=None, **_filters):
        return sorted(
            (
                entry
                for entry in self.entries
                if since <= entry.start < until
                and (customer is None or entry.customer.lower() == customer.lower())
            ),
            key=lambda entry: entry.start,
        )

    def get_timer(self, owner):
        return self.timer


CUSTOMERS = ["Acme Corp", "acme corp", "Beta", "Gamma GmbH"]
# One worked stretch: which customer, how many seconds (up to a full day).
work = st.tuples(st.sampled_from(CUSTOMERS), st.integers(1, DAY))


def laid_end_to_end(stretches: list[tuple[str, int]]) -> list[Entry]:
    """Entries a day apart from New Year's Day, whatever their lengths."""
    entries = []
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for number, (customer, seconds) in enumerate(stretches):
        end = start + timedelta(seconds=seconds)
        entries.append(
            Entry(
                owner="o",
                id=f"{number:032x}",
                start=start,
                end=end,
                customer=customer,
            )
        )
        start = end + timedelta(days=1)
    return entries


@settings(max_examples=150)
@given(st.lists(work, min_size=1, max_size=40), st.sampled_from(ZONES))
def test_summary_totals_are_the_exact_sum_rounded_once(stretches, zone):
    entries = laid_end_to_end(stretches)
    caller = Caller(owner="o", zone=zone)

    summary = timesheet.summarize(
        MemoryEntries(entries), caller, {"from_date": "2025-12-31"}, NOW
    )

    per_customer: dict[str, tuple[int, int]] = {}
    for customer, seconds in stretches:
        total, count = per_customer.get(customer.casefold(), (0, 0))
        per_customer[customer.casefold()] = (total + seconds, count + 1)
    assert summary["total_hours"] == round(sum(s for _, s in stretches) / 3600, 2)
    assert {
        row["customer"].casefold(): (row["hours"], row["entry_count"])
        for row in summary["customers"]
    } == {
        customer: (round(total / 3600, 2), count)
        for customer, (total, count) in per_customer.items()
    }


@settings(max_examples=100)
@given(st.lists(st.integers(1, DAY), min_size=1, max_size=40))
def test_an_invoice_total_is_the_exact_sum_rounded_once(lengths):
    entries = laid_end_to_end([("Acme Corp", seconds) for seconds in lengths])
    caller = Caller(owner="o", zone=ZONES[0])

    preview = timesheet.invoice_preview(
        MemoryEntries(entries), caller, {"customer": "acme corp"}, NOW
    )

    assert preview["total_hours"] == round(sum(lengths) / 3600, 2)
    assert preview["entry_count"] == len(lengths)
    assert [entry["hours"] for entry in preview["entries"]] == [
        round(seconds / 3600, 2) for seconds in lengths
    ]


instants = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31)
).map(lambda naive: naive.replace(tzinfo=UTC, microsecond=0))


@settings(max_examples=300)
@given(
    instant=instants,
    today=st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31)),
    zone=st.sampled_from(ZONES),
    period=st.sampled_from([period for period in PERIODS if period != "all"]),
    week_start=st.sampled_from([0, 6]),
)
def test_a_period_holds_exactly_the_instants_of_its_local_days(
    instant, today, zone, period, week_start
):
    days = period_range(period, today, week_start)
    since, until = days.instants(zone)

    local_day = instant.astimezone(zone).date()

    assert (since <= instant < until) == (days.first <= local_day <= days.last)


@given(
    today=st.dates(min_value=date(1971, 1, 1), max_value=date(9997, 12, 31)),
    week_start=st.sampled_from([0, 6]),
)
def test_a_week_is_seven_days_from_the_chosen_weekday_holding_today(today, week_start):
    week = period_range("week", today, week_start)
    last_week = period_range("last_week", today, week_start)

    assert week.first.weekday() == week_start
    assert week.last - week.first == timedelta(days=6)
    assert week.first <= today <= week.last
    assert last_week.last == week.first - timedelta(days=1)
    assert last_week.last - last_week.first == timedelta(days=6)
