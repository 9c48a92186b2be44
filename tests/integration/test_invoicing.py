"""GET /invoice-preview and POST /batch-invoice."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from clocks.entry import Entry

BERLIN = ZoneInfo("Europe/Berlin")


def preview(api, **query):
    reply = api("invoice_preview", query=query)
    assert reply.status == 200, reply.body
    return reply.json


def invoice(api, *starts):
    return api("batch_invoice", body={"starts": list(starts)})


def test_the_preview_lists_unbilled_entries_of_the_customer_with_totals(api, book):
    first = book("2026-04-20", "09:00", "20m", customer="Acme Corp")
    second = book("2026-04-21", "09:00", "20m", customer="Acme Corp")
    third = book("2026-04-22", "09:00", "20m", customer="Acme Corp")
    book("2026-04-20", "11:00", "1h", customer="Beta Inc")

    result = preview(api, customer="acme corp")

    assert result == {
        "customer": "Acme Corp",
        "contract": None,
        "entries": [first, second, third],
        "total_hours": 1.0,
        "entry_count": 3,
    }


def test_the_sample_preview_filters_by_contract(api, book):
    q2 = book("2026-04-20", "09:00", "1h", contract="Q2 2026")
    book("2026-04-20", "11:00", "1h", contract="Q1 2026")
    book("2026-04-20", "13:00", "1h")

    result = api("invoice_preview").json

    assert result["contract"] == "Q2 2026"
    assert result["entries"] == [q2]
    assert (result["total_hours"], result["entry_count"]) == (1.0, 1)


def test_the_preview_keeps_to_the_dates_given(api, book):
    book("2026-03-31", "09:00", "1h")
    april = book("2026-04-01", "09:00", "1h")
    book("2026-04-23", "09:00", "1h")

    result = preview(
        api, customer="Acme Corp", from_date="2026-04-01", to_date="2026-04-22"
    )

    assert result["entries"] == [april]


def test_without_dates_the_preview_covers_every_date(api, book):
    old = book("2024-01-08", "09:00", "1h")
    new = book("2026-04-20", "09:00", "1h")

    assert preview(api, customer="Acme Corp")["entries"] == [old, new]


def test_an_invoiced_entry_vanishes_from_the_preview(api, book):
    first = book("2026-04-20", "09:00", "1h")
    second = book("2026-04-20", "11:00", "2h")

    invoice(api, first["start"])

    result = preview(api, customer="Acme Corp")
    assert result["entries"] == [second]
    assert result["total_hours"] == 2.0


def test_an_entry_marked_invoiced_by_patch_vanishes_and_unmarked_returns(api, book):
    entry = book("2026-04-20", "09:00", "1h")

    api("update_entry", query={"start": entry["start"]}, body={"invoiced": True})
    assert preview(api, customer="Acme Corp")["entries"] == []

    api("update_entry", query={"start": entry["start"]}, body={"invoiced": False})
    assert preview(api, customer="Acme Corp")["entries"] == [entry]


def test_a_running_timer_is_never_in_the_preview(api):
    api("start_timer", body={"customer": "Acme Corp"})

    result = preview(api, customer="Acme Corp")

    assert (result["entries"], result["entry_count"], result["total_hours"]) == (
        [],
        0,
        0.0,
    )
    assert result["customer"] == "Acme Corp"


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"customer": ""},
        {"customer": "   "},
        {"contract": "Q2 2026"},
        {"customer": "Acme", "period": "month"},
        {"customer": "Acme", "from_date": "2026-4-1"},
        [("customer", "Acme"), ("customer", "Beta")],
    ],
)
def test_a_preview_without_one_customer_or_with_bad_parameters_is_422(api, query):
    reply = api("invoice_preview", query=query)

    assert reply.status == 422
    assert reply.message


def test_batch_invoice_marks_the_entries_and_reports_the_rest(api, book, listed):
    first = book("2026-04-20", "09:00", "1h")
    second = book("2026-04-20", "11:00", "1h")
    third = book("2026-04-20", "13:00", "1h")

    reply = invoice(api, first["start"], third["start"], "2026-04-20T15:00:00")

    assert reply.status == 200
    assert reply.json == {
        "invoiced": 2,
        "already_invoiced": [],
        "not_found": ["2026-04-20T15:00:00"],
    }
    assert [entry["invoiced"] for entry in listed()] == [True, False, True]
    assert listed()[1] == second


def test_a_second_batch_reports_already_invoiced(api, book):
    first = book("2026-04-20", "09:00", "1h")
    second = book("2026-04-20", "11:00", "1h")
    invoice(api, first["start"])

    reply = invoice(api, first["start"], second["start"])

    assert reply.json == {
        "invoiced": 1,
        "already_invoiced": [first["start"]],
        "not_found": [],
    }


def test_the_sample_batch_invoices_the_sample_starts(api, book):
    book("2026-04-20", "09:00", "1h")
    book("2026-04-20", "14:00", "1h")

    reply = api("batch_invoice")

    assert reply.json == {"invoiced": 2, "already_invoiced": [], "not_found": []}


@pytest.mark.parametrize(
    "bad",
    ["not a time", "2026-03-29T02:30:00", "1969-07-20T20:17:00", "2026-04-20T24:00"],
)
def test_an_invalid_start_is_422_and_nothing_is_invoiced(api, book, listed, bad):
    entry = book("2026-04-20", "09:00", "1h")

    reply = invoice(api, entry["start"], bad)

    assert reply.status == 422
    assert listed() == [entry]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"starts": []},
        {"starts": "2026-04-20T09:00:00"},
        {"starts": [1]},
        {"start": []},
    ],
)
def test_a_malformed_batch_is_422(api, body):
    assert api("batch_invoice", body=body).status == 422


def test_hundreds_of_starts_are_invoiced_in_one_request(api, store, sample_owner):
    first = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    starts = [first + timedelta(minutes=30 * number) for number in range(250)]
    for number, start in enumerate(starts[:240]):
        store.add_entry(
            Entry(
                owner=sample_owner,
                id=f"bulk-{number}",
                start=start,
                end=start + timedelta(minutes=20),
                customer="Bulk Ltd",
            )
        )
    listed = api("list_entries", query={"period": "all"}).json
    walls = [entry["start"] for entry in listed[:10]]
    missing = [
        start.astimezone(BERLIN).replace(tzinfo=None).isoformat()
        for start in starts[240:]
    ]

    first_batch = api("batch_invoice", body={"starts": walls}).json
    everything = [entry["start"] for entry in listed]
    second_batch = api("batch_invoice", body={"starts": everything + missing}).json

    assert first_batch == {"invoiced": 10, "already_invoiced": [], "not_found": []}
    assert second_batch["invoiced"] == 230
    assert second_batch["already_invoiced"] == walls
    assert second_batch["not_found"] == missing
    preview = api("invoice_preview", query={"customer": "Bulk Ltd"}).json
    assert preview["entry_count"] == 0
