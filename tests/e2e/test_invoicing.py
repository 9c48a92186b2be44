"""Hours per customer, the invoice preview and marking entries invoiced."""

from urllib.parse import urlencode

import pytest

pytestmark = pytest.mark.e2e


def test_summary_totals_are_exact_sums_rounded_once(api, customer, day):
    other = f"{customer} Zeta"
    for _ in range(3):
        # 20 minutes show as 0.33 h each, yet three of them are exactly one hour.
        api.book(customer, "20m", date=day)
    api.book(other, "1h30m", date=day)

    answer = api.get(f"/summary?from_date={day}&to_date={day}")

    assert answer.status == 200
    assert answer.json() == {
        "from_date": str(day),
        "to_date": str(day),
        "customers": [
            {"customer": customer, "hours": 1.0, "entry_count": 3},
            {"customer": other, "hours": 1.5, "entry_count": 1},
        ],
        "total_hours": 2.5,
    }


def test_summary_counts_a_customer_written_in_other_case_once(api, customer, day):
    api.book(customer, "1h", date=day)
    api.book(customer.lower(), "2h", date=day)

    summary = api.get(f"/summary?from_date={day}&to_date={day}").json()

    assert summary["customers"] == [
        {"customer": customer, "hours": 3.0, "entry_count": 2}
    ]


def test_summary_of_an_unknown_period_is_refused_with_422(api):
    answer = api.get("/summary?period=decade")

    assert answer.status == 422
    assert "last_month" in answer.json()["message"]


def test_invoice_preview_lists_unbilled_entries_of_customer_and_contract(
    api, customer, new_day
):
    q2 = api.book(customer, "2h", date=new_day(), contract="Q2")
    q3 = api.book(customer, "1h15m", date=new_day(), contract="Q3")
    also_q2 = api.book(customer, "30m", date=new_day(), contract="Q2")
    query = urlencode({"customer": customer.lower(), "contract": "Q2"})

    answer = api.get(f"/invoice-preview?{query}")

    assert answer.status == 200
    assert answer.json() == {
        "customer": customer,
        "contract": "Q2",
        "entries": [q2, also_q2],
        "total_hours": 2.5,
        "entry_count": 2,
    }
    everything = api.get(f"/invoice-preview?{urlencode({'customer': customer})}")
    assert everything.json()["entries"] == [q2, q3, also_q2]
    assert everything.json()["total_hours"] == 3.75


def test_invoice_preview_needs_a_customer(api):
    answer = api.get("/invoice-preview")

    assert answer.status == 422
    assert "customer" in answer.json()["message"]


def test_batch_invoice_marks_entries_and_reports_missing_ones(api, customer, day):
    first = api.book(customer, "1h", date=day)
    second = api.book(customer, "1h", date=day)
    missing = f"{day}T20:00:00"

    answer = api.post(
        "/batch-invoice", {"starts": [first["start"], second["start"], missing]}
    )

    assert answer.status == 200
    assert answer.json() == {
        "invoiced": 2,
        "already_invoiced": [],
        "not_found": [missing],
    }
    assert [entry["invoiced"] for entry in api.entries_on(day)] == [True, True]
    preview = api.get(f"/invoice-preview?{urlencode({'customer': customer})}")
    assert preview.json()["entries"] == []


def test_invoicing_again_reports_the_entries_as_already_invoiced(api, customer, day):
    entry = api.book(customer, "1h", date=day)
    api.post("/batch-invoice", {"starts": [entry["start"]]})

    again = api.post("/batch-invoice", {"starts": [entry["start"]]})

    assert again.status == 200
    assert again.json() == {
        "invoiced": 0,
        "already_invoiced": [entry["start"]],
        "not_found": [],
    }


def test_batch_invoice_without_starts_is_refused_with_422(api):
    answer = api.post("/batch-invoice", {"starts": []})

    assert answer.status == 422
    assert "starts" in answer.json()["message"]
