"""Two owners with the same customers at the same times never meet.

The first owner is the local one of CLOCKS_DEV_TOKEN; the second gets its api
token from the admin command, as a deployed stack's second user would.
"""

from urllib.parse import urlencode

import pytest
from icalendar import Calendar

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def other(admin_owner):
    return admin_owner("e2e-other-owner")


@pytest.fixture
def owners(local_owner, other):
    return local_owner, other


def _uids(body: bytes) -> set[str]:
    return {str(event["UID"]) for event in Calendar.from_ical(body).walk("VEVENT")}


def test_each_owner_lists_only_its_own_entries(owners, customer, day):
    mine, theirs = owners
    booked = {
        owner.name: owner.api.book(
            customer, "1h", date=day, start_time="09:00", notes=owner.name
        )
        for owner in owners
    }

    for owner in owners:
        assert owner.api.entries_on(day) == [booked[owner.name]]
        assert owner.api.entries(customer=customer, period="all") == [
            booked[owner.name]
        ]
    assert booked[mine.name]["start"] == booked[theirs.name]["start"]
    assert booked[mine.name]["id"] != booked[theirs.name]["id"]


def test_each_owner_has_a_timer_of_its_own(owners, timer, customer):
    mine, theirs = owners
    theirs.api.post("/stop")

    started = timer.start(customer, notes="mine")
    other_started = theirs.api.post("/start", {"customer": customer, "notes": "theirs"})
    stopped = theirs.api.post("/stop")

    assert started.status == other_started.status == 201
    assert stopped.json()["id"] == other_started.json()["id"]
    assert theirs.api.get("/active").json() == {"active": False}
    assert mine.api.get("/active").json()["id"] == started.json()["id"]


def test_summary_and_invoice_preview_count_only_the_owners_entries(
    owners, customer, day
):
    mine, theirs = owners
    mine.api.book(customer, "1h", date=day, start_time="09:00", contract="C")
    theirs.api.book(customer, "2h", date=day, start_time="09:00", contract="C")
    theirs.api.book(customer, "30m", date=day, start_time="14:00", contract="C")
    preview_query = urlencode({"customer": customer, "contract": "C"})

    for owner, hours, count in ((mine, 1.0, 1), (theirs, 2.5, 2)):
        summary = owner.api.get(f"/summary?from_date={day}&to_date={day}").json()
        preview = owner.api.get(f"/invoice-preview?{preview_query}").json()
        assert summary["customers"] == [
            {"customer": customer, "hours": hours, "entry_count": count}
        ]
        assert summary["total_hours"] == hours
        assert len(preview["entries"]) == count
        assert preview["total_hours"] == hours


def test_invoicing_the_other_owners_start_is_not_found_and_bills_nothing(
    owners, customer, day
):
    mine, theirs = owners
    entry = theirs.api.book(customer, "1h", date=day, start_time="10:00")

    answer = mine.api.post("/batch-invoice", {"starts": [entry["start"]]})

    assert answer.status == 200
    assert answer.json() == {
        "invoiced": 0,
        "already_invoiced": [],
        "not_found": [entry["start"]],
    }
    assert theirs.api.entries_on(day) == [entry]
    assert entry["invoiced"] is False
    preview = theirs.api.get(f"/invoice-preview?{urlencode({'customer': customer})}")
    assert [row["id"] for row in preview.json()["entries"]] == [entry["id"]]


def test_the_other_owners_start_cannot_be_changed_or_deleted(owners, customer, day):
    mine, theirs = owners
    entry = theirs.api.book(customer, "1h", date=day, start_time="11:00")

    patched = mine.api.patch(f"/entries?start={entry['start']}", {"notes": "mine"})
    deleted = mine.api.delete(f"/entries?start={entry['start']}")

    assert patched.status == 404
    assert deleted.status == 404
    assert mine.api.entries_on(day) == []
    assert theirs.api.entries_on(day) == [entry]


def test_each_owners_feed_shows_only_its_own_events(
    owners, tokens, http, customer, day
):
    booked = {
        owner.name: owner.api.book(customer, "1h", date=day, start_time="09:00")
        for owner in owners
    }

    for owner in owners:
        secret, _ = tokens.create(owner.name, "feed")
        answer = http.get(tokens.feed_url(secret) + f"&from_date={day}&to_date={day}")
        assert answer.status == 200
        assert _uids(answer.body) == {f"{booked[owner.name]['id']}@clocks"}
