"""DELETE /entries?start=...: removing an entry."""

import pytest


def test_deleting_an_entry_answers_204_and_removes_only_it(api, book, listed):
    book("2026-04-20", "09:00", "1h")
    other = book("2026-04-20", "11:00", "1h")

    reply = api("delete_entry")

    assert reply.status == 204
    assert reply.body == ""
    assert listed() == [other]


def test_deleting_a_missing_entry_is_404(api):
    reply = api("delete_entry")

    assert reply.status == 404
    assert reply.message == "no entry starts at that time"


def test_deleting_twice_is_204_then_404(api, book):
    book("2026-04-20", "09:00", "1h")

    assert api("delete_entry").status == 204
    assert api("delete_entry").status == 404


def test_the_start_is_matched_to_the_second(api, book, listed):
    entry = book("2026-04-20", "09:00", "1h")

    reply = api("delete_entry", query={"start": "2026-04-20T09:00:59"})

    assert reply.status == 404
    assert listed() == [entry]


def test_a_running_timer_cannot_be_deleted_as_an_entry(api, listed):
    timer = api("start_timer").json

    reply = api("delete_entry", query={"start": timer["start"]})

    assert reply.status == 404
    assert api("get_active_timer").json["id"] == timer["id"]


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"start": ""},
        {"start": "today"},
        {"start": "2026-03-29T02:30:00"},
        {"start": "2026-04-20T09:00:00", "id": "x"},
        [("start", "2026-04-20T09:00:00"), ("start", "2026-04-20T10:00:00")],
    ],
)
def test_a_missing_or_bad_start_is_422_and_deletes_nothing(api, book, listed, query):
    entry = book("2026-04-20", "09:00", "1h")

    reply = api("delete_entry", query=query)

    assert reply.status == 422
    assert reply.message
    assert listed() == [entry]
