"""Two owners with the same customers and the same starts never see each other's data.

The sample events act for the sample owner; `owner="bob"` sends the same request as
another owner, and `owner=None` as a request the authorizer never saw.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from icalendar import Calendar

from tools.template import routes

BOB = "bob"
# The JSON routes; the feed falls back to ?token= and answers 404 instead.
ROUTE_FUNCTIONS = sorted(
    {route.code_dir.name for route in routes()} - {"calendar_feed"}
)
MORNING = "2026-04-20T09:00:00"
AFTERNOON = "2026-04-20T14:00:00"


def booked(api, owner: str, start_time: str, duration: str, **fields) -> dict:
    body = {
        "duration": duration,
        "customer": "Acme Corp",
        "date": "2026-04-20",
        "start_time": start_time,
        "task_id": "T-1",
        "contract": "Q2 2026",
        **fields,
    }
    reply = api("quick_book", body=body, owner=owner)
    assert reply.status == 201, reply.body
    return reply.json


@pytest.fixture
def entries(api, sample_owner) -> dict[str, list[dict[str, Any]]]:
    """Both book Acme Corp at 09:00 with task T-1; only the sample owner at 14:00."""
    mine = [
        booked(api, sample_owner, "09:00", "1h", description="Alice designs"),
        booked(api, sample_owner, "14:00", "2h", description="Alice reviews"),
    ]
    theirs = [booked(api, BOB, "09:00", "30m", description="Bob designs")]
    return {sample_owner: mine, BOB: theirs}


def listing(api, owner: str, **query: str) -> list[dict[str, Any]]:
    reply = api("list_entries", query=query, owner=owner)
    assert reply.status == 200, reply.body
    return reply.json


def feed_uids(reply) -> list[str]:
    assert reply.status == 200, reply.body
    return [
        str(event["UID"]) for event in Calendar.from_ical(reply.body).walk("VEVENT")
    ]


@pytest.mark.parametrize("function", ROUTE_FUNCTIONS)
def test_a_request_without_an_authorized_owner_is_401_json(api, function):
    reply = api(function, owner=None)

    assert reply.status == 401
    assert reply.message == "Unauthorized"


@pytest.mark.parametrize("function", ["list_entries", "start_timer", "batch_invoice"])
@pytest.mark.parametrize(
    "authorizer", [{}, {"lambda": {}}, {"lambda": {"owner": ""}}, {"jwt": {}}]
)
def test_an_authorizer_context_without_an_owner_is_401(api, function, authorizer):
    event = api.event(function)
    event["requestContext"]["authorizer"] = authorizer

    reply = api.send(function, event)

    assert reply.status == 401


def test_a_refused_request_changes_nothing(api, entries, sample_owner):
    api("delete_entry", query={"start": MORNING}, owner=None)
    api("batch_invoice", body={"starts": [MORNING]}, owner=None)
    api("start_timer", owner=None)

    assert listing(api, sample_owner, period="all") == entries[sample_owner]
    assert api("get_active_timer").json == {"active": False}


def test_the_calendar_feed_without_an_owner_or_a_token_does_not_exist(api, entries):
    reply = api("calendar_feed", owner=None)

    assert reply.status == 404
    assert reply.message


def test_the_same_start_and_customer_are_free_for_each_owner(entries, sample_owner):
    mine, theirs = entries[sample_owner][0], entries[BOB][0]

    assert mine["start"] == theirs["start"] == MORNING
    assert mine["id"] != theirs["id"]


@pytest.mark.parametrize(
    "query",
    [
        {"period": "all"},
        {"period": "month"},
        {"customer": "acme corp", "period": "all"},
        {"task_id": "T-1", "period": "all"},
        {"from_date": "2026-04-20", "to_date": "2026-04-20"},
    ],
    ids=["all", "month", "customer", "task", "dates"],
)
def test_each_owner_lists_only_their_own_entries(api, entries, sample_owner, query):
    for owner in (sample_owner, BOB):
        assert listing(api, owner, **query) == entries[owner]


def test_a_running_timer_is_seen_and_stopped_only_by_its_owner(api):
    mine = api("start_timer", body={"customer": "Acme Corp"})
    bobs_view = api("get_active_timer", owner=BOB).json
    bobs_stop = api("stop_timer", owner=BOB)
    bobs_own = api("start_timer", body={"customer": "Acme Corp"}, owner=BOB)

    assert mine.status == 201
    assert bobs_view == {"active": False}
    assert bobs_stop.status == 404
    assert bobs_own.status == 201
    assert bobs_own.json["id"] != mine.json["id"]
    assert api("get_active_timer").json["id"] == mine.json["id"]
    assert api("get_active_timer", owner=BOB).json["id"] == bobs_own.json["id"]


def test_stopping_ones_own_timer_leaves_the_other_running(api, sample_owner):
    mine = api("start_timer", body={"customer": "Acme Corp"}).json
    api("start_timer", body={"customer": "Acme Corp"}, owner=BOB)

    stopped = api("stop_timer", owner=BOB)

    assert stopped.status == 200
    assert api("get_active_timer").json["id"] == mine["id"]
    assert listing(api, sample_owner, period="all") == []
    assert [entry["id"] for entry in listing(api, BOB, period="all")] == [
        stopped.json["id"]
    ]


def test_each_summary_counts_only_its_owners_hours(api, entries):
    mine = api("get_summary", query={"period": "all"}).json
    theirs = api("get_summary", query={"period": "all"}, owner=BOB).json

    assert mine["customers"] == [
        {"customer": "Acme Corp", "hours": 3.0, "entry_count": 2}
    ]
    assert theirs["customers"] == [
        {"customer": "Acme Corp", "hours": 0.5, "entry_count": 1}
    ]
    assert (mine["total_hours"], theirs["total_hours"]) == (3.0, 0.5)


def test_a_running_timer_counts_only_in_its_owners_summary(api):
    api("start_timer", body={"customer": "Acme Corp"}, owner=BOB)
    api.now += timedelta(hours=1)

    mine = api("get_summary", query={"period": "today"}).json
    theirs = api("get_summary", query={"period": "today"}, owner=BOB).json

    assert mine["total_hours"] == 0
    assert theirs["total_hours"] == 1.0


def test_each_invoice_preview_shows_only_its_owners_entries(api, entries, sample_owner):
    query = {"customer": "Acme Corp", "contract": "Q2 2026"}

    mine = api("invoice_preview", query=query).json
    theirs = api("invoice_preview", query=query, owner=BOB).json

    assert mine["entries"] == entries[sample_owner]
    assert theirs["entries"] == entries[BOB]
    assert (mine["total_hours"], theirs["total_hours"]) == (3.0, 0.5)


def test_batch_invoice_reaches_only_the_senders_entries(api, entries, sample_owner):
    reply = api("batch_invoice", body={"starts": [MORNING, AFTERNOON]}, owner=BOB)

    assert reply.status == 200
    assert reply.json["invoiced"] == 1
    assert reply.json["not_found"] == [AFTERNOON]
    assert [entry["invoiced"] for entry in listing(api, BOB, period="all")] == [True]
    mine = listing(api, sample_owner, period="all")
    assert [entry["invoiced"] for entry in mine] == [False, False]
    preview = api("invoice_preview", query={"customer": "Acme Corp"}).json
    assert preview["entries"] == entries[sample_owner]


def test_another_owners_start_cannot_be_changed_or_deleted(api, entries, sample_owner):
    patched = api(
        "update_entry", query={"start": AFTERNOON}, body={"notes": "mine"}, owner=BOB
    )
    deleted = api("delete_entry", query={"start": AFTERNOON}, owner=BOB)

    assert (patched.status, deleted.status) == (404, 404)
    assert patched.message and deleted.message
    assert listing(api, sample_owner, period="all") == entries[sample_owner]


def test_changing_or_deleting_at_a_shared_start_touches_only_ones_own_entry(
    api, entries, sample_owner
):
    patched = api(
        "update_entry", query={"start": MORNING}, body={"notes": "bob's"}, owner=BOB
    )
    deleted = api("delete_entry", query={"start": MORNING}, owner=BOB)

    assert patched.status == 200
    assert patched.json["id"] == entries[BOB][0]["id"]
    assert deleted.status == 204
    assert listing(api, BOB, period="all") == []
    assert listing(api, sample_owner, period="all") == entries[sample_owner]


def test_moving_onto_a_start_the_other_owner_uses_is_no_conflict(
    api, entries, sample_owner
):
    reply = api(
        "update_entry",
        query={"start": MORNING},
        body={"start_time": "14:00"},
        owner=BOB,
    )

    assert reply.status == 200
    assert reply.json["start"] == AFTERNOON
    assert listing(api, sample_owner, period="all") == entries[sample_owner]


def test_automatic_placement_follows_only_ones_own_entries(api, entries):
    body = {"duration": "1h", "customer": "Acme Corp", "date": "2026-04-20"}

    mine = api("quick_book", body=body).json
    theirs = api("quick_book", body=body, owner=BOB).json
    newcomer = api("quick_book", body=body, owner="carol").json

    assert mine["start"] == "2026-04-20T16:00:00"
    assert theirs["start"] == "2026-04-20T09:30:00"
    assert newcomer["start"] == "2026-04-20T09:00:00"


def test_each_calendar_feed_holds_only_its_owners_entries(
    api, entries, make_token, sample_owner
):
    bobs_feed = make_token(BOB, "feed")

    mine = feed_uids(api("calendar_feed"))
    theirs = feed_uids(api("calendar_feed", owner=BOB))
    through_url = feed_uids(
        api("calendar_feed", event="calendar_feed_url", query={"token": bobs_feed})
    )

    assert mine == [f"{entry['id']}@clocks" for entry in entries[sample_owner]]
    assert theirs == through_url == [f"{entries[BOB][0]['id']}@clocks"]


@pytest.mark.parametrize("owner", ["alice#acme", "", "-alice", "a" * 129])
def test_an_owner_name_that_could_reach_into_another_owners_keys_is_refused(
    tokens, owner
):
    with pytest.raises(ValueError):
        tokens.create(owner, "laptop", "api", datetime(2026, 4, 22, tzinfo=UTC))
