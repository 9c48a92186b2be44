"""Hours per customer: exact seconds summed first, each figure rounded once."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from clocks import timesheet
from clocks.entry import Caller, Entry, Timer

BERLIN = ZoneInfo("Europe/Berlin")
CALLER = Caller(owner="default", zone=BERLIN)
NOW = datetime(2026, 4, 22, 10, 0, tzinfo=UTC)


class MemoryEntries:
    """Just enough of the entry store for the arithmetic, without DynamoDB."""

    def __init__(self, entries: list[Entry], timer: Timer | None = None) -> None:
        self.entries = entries
        self.timer = timer

    def entries_between(self, owner, since, until, **_filters):
        return sorted(
            (entry for entry in self.entries if since <= entry.start < until),
            key=lambda entry: entry.start,
        )

    def get_timer(self, owner):
        return self.timer


def worked(customer: str, day: int, hour: int, minutes: int) -> Entry:
    start = datetime(2026, 4, day, hour, 0, tzinfo=UTC)
    return Entry(
        owner="default",
        id=f"{customer}-{day}-{hour}",
        start=start,
        end=start + timedelta(minutes=minutes),
        customer=customer,
    )


def summary_of(entries, timer=None, query=None):
    store = MemoryEntries(entries, timer)
    return timesheet.summarize(store, CALLER, query or {}, NOW)


def test_the_total_is_the_rounded_exact_sum_not_the_sum_of_rounded_rows():
    summary = summary_of(
        [
            worked("Acme", 20, 8, 20),
            worked("Beta", 20, 9, 20),
            worked("Gamma", 20, 10, 20),
        ]
    )

    assert [row["hours"] for row in summary["customers"]] == [0.33, 0.33, 0.33]
    assert summary["total_hours"] == 1.0


def test_a_customers_row_sums_exact_seconds_before_rounding():
    summary = summary_of([worked("Acme", 20, 8, 20), worked("Acme", 21, 8, 20)])

    assert summary["customers"] == [
        {"customer": "Acme", "hours": 0.67, "entry_count": 2}
    ]


def test_customers_are_grouped_regardless_of_case_and_sorted_by_name():
    summary = summary_of(
        [
            worked("beta", 20, 8, 60),
            worked("Acme Corp", 20, 10, 30),
            worked("ACME CORP", 21, 8, 30),
            worked("Beta", 21, 10, 60),
            worked("Zeta", 21, 12, 15),
        ]
    )

    assert [row["customer"].casefold() for row in summary["customers"]] == [
        "acme corp",
        "beta",
        "zeta",
    ]
    assert [row["hours"] for row in summary["customers"]] == [1.0, 2.0, 0.25]
    assert [row["entry_count"] for row in summary["customers"]] == [2, 2, 1]
    assert summary["total_hours"] == 3.25


def test_a_running_timer_counts_up_to_now():
    timer = Timer(
        owner="default", id="t", start=NOW - timedelta(minutes=90), customer="Acme"
    )

    summary = summary_of([worked("Acme", 20, 8, 60)], timer=timer)

    assert summary["customers"] == [
        {"customer": "Acme", "hours": 2.5, "entry_count": 2}
    ]
    assert summary["total_hours"] == 2.5


def test_a_timer_started_outside_the_period_is_not_counted():
    timer = Timer(
        owner="default", id="t", start=NOW - timedelta(days=40), customer="Old"
    )

    summary = summary_of([worked("Acme", 20, 8, 60)], timer=timer)

    assert [row["customer"] for row in summary["customers"]] == ["Acme"]


def test_the_summary_names_the_days_it_covers():
    summary = summary_of([], query={"period": "week"})

    assert (summary["from_date"], summary["to_date"]) == ("2026-04-20", "2026-04-26")
    assert summary["customers"] == []
    assert summary["total_hours"] == 0.0


def test_an_invoice_total_is_the_rounded_exact_sum():
    entries = [
        worked("Acme", 20, 8, 20),
        worked("Acme", 20, 9, 20),
        worked("Acme", 20, 10, 20),
    ]

    preview = timesheet.invoice_preview(
        MemoryEntries(entries), CALLER, {"customer": "acme"}, NOW
    )

    assert [entry["hours"] for entry in preview["entries"]] == [0.33, 0.33, 0.33]
    assert preview["total_hours"] == 1.0
    assert preview["entry_count"] == 3
    assert preview["customer"] == "Acme"
