"""PATCH /entries?start=...: partial updates, moving an entry, clearing fields."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from clocks.errors import EntryChangedError

START = "2026-04-20T09:00:00"


@pytest.fixture
def entry(book):
    return book(
        "2026-04-20",
        "09:00",
        "2h",
        description="Landing page",
        notes="First draft",
        task_id="T-7",
        contract="Q2 2026",
    )


def patch(api, body, start=START):
    return api("update_entry", query={"start": start}, body=body)


def test_only_the_fields_given_change(api, entry, listed):
    reply = patch(api, {"description": "Checkout page", "notes": "Reviewed"})

    assert reply.status == 200
    assert reply.json == entry | {"description": "Checkout page", "notes": "Reviewed"}
    assert listed() == [reply.json]


def test_the_sample_update_changes_description_hours_and_notes(api, entry):
    reply = api("update_entry")

    assert reply.status == 200
    assert reply.json["description"] == "Updated description"
    assert reply.json["notes"] == "Review completed"
    assert (reply.json["start"], reply.json["end"]) == (START, "2026-04-20T12:00:00")


def test_hours_move_the_end_and_keep_the_start(api, entry):
    moved = patch(api, {"hours": 2.75}).json

    assert (moved["start"], moved["end"]) == (START, "2026-04-20T11:45:00")
    assert moved["hours"] == 2.75


def test_hours_are_exact_to_the_second(api, entry):
    moved = patch(api, {"hours": 8.2}).json

    assert moved["end"] == "2026-04-20T17:12:00"


def test_a_new_date_moves_the_start_and_keeps_the_time_and_length(api, entry, listed):
    moved = patch(api, {"new_date": "2026-04-23"}).json

    assert (moved["start"], moved["end"]) == (
        "2026-04-23T09:00:00",
        "2026-04-23T11:00:00",
    )
    assert moved["id"] == entry["id"]
    assert listed() == [moved]


def test_a_start_time_moves_the_start_and_keeps_the_date_and_length(api, entry):
    moved = patch(api, {"start_time": "14:30"}).json

    assert (moved["start"], moved["end"]) == (
        "2026-04-20T14:30:00",
        "2026-04-20T16:30:00",
    )
    assert moved["id"] == entry["id"]


def test_date_time_and_hours_can_change_together(api, entry):
    moved = patch(
        api, {"new_date": "2026-04-21", "start_time": "08:15", "hours": 1}
    ).json

    assert (moved["start"], moved["end"]) == (
        "2026-04-21T08:15:00",
        "2026-04-21T09:15:00",
    )


def test_after_a_move_the_entry_answers_at_its_new_start_only(api, entry):
    patch(api, {"start_time": "10:00"})

    assert patch(api, {"notes": "x"}).status == 404
    assert patch(api, {"notes": "x"}, start="2026-04-20T10:00:00").status == 200


def test_moving_onto_a_taken_start_is_409_and_both_entries_stay(
    api, entry, book, listed
):
    other = book("2026-04-21", "09:00", "1h", customer="Beta Inc")

    reply = patch(api, {"new_date": "2026-04-21", "description": "moved"})

    assert reply.status == 409
    assert "already starts" in reply.message
    assert listed() == [entry, other]


def test_changing_the_time_onto_a_taken_start_is_409(api, entry, book, listed):
    other = book("2026-04-20", "13:00", "1h", customer="Beta Inc")

    reply = patch(api, {"start_time": "13:00"})

    assert reply.status == 409
    assert listed() == [entry, other]


def test_a_move_into_the_skipped_dst_hour_is_refused(api, entry, listed):
    reply = patch(api, {"new_date": "2026-03-29", "start_time": "02:30"})

    assert reply.status == 422
    assert listed() == [entry]


def test_updating_a_missing_entry_is_404(api, entry):
    reply = patch(api, {"notes": "x"}, start="2026-04-20T09:00:01")

    assert reply.status == 404
    assert reply.message == "no entry starts at that time"


@pytest.mark.parametrize(
    ("field", "cleared"),
    [("description", ""), ("notes", ""), ("task_id", None), ("contract", None)],
)
def test_null_clears_an_optional_field(api, entry, field, cleared):
    updated = patch(api, {field: None}).json

    assert updated[field] == cleared
    assert updated == entry | {field: cleared}


def test_a_cleared_task_no_longer_finds_the_entry(api, entry, listed):
    patch(api, {"task_id": None})

    assert listed(task_id="T-7") == []


def test_a_new_task_finds_the_entry(api, entry, listed):
    updated = patch(api, {"task_id": "T-9"}).json

    assert listed(task_id="T-9") == [updated]
    assert listed(task_id="T-7") == []


@pytest.mark.parametrize(
    "field", ["customer", "hours", "new_date", "start_time", "invoiced"]
)
def test_null_for_a_field_that_must_stay_is_422_and_changes_nothing(
    api, entry, listed, field
):
    reply = patch(api, {field: None, "notes": "changed"})

    assert reply.status == 422
    assert field in reply.message
    assert listed() == [entry]


@pytest.mark.parametrize("body", [{"colour": "red"}, {"start": "2026-04-21T09:00:00"}])
def test_unknown_fields_are_422_and_change_nothing(api, entry, listed, body):
    reply = patch(api, body | {"notes": "changed"})

    assert reply.status == 422
    assert listed() == [entry]


@pytest.mark.parametrize(
    "body",
    [
        {"hours": 0},
        {"hours": -1},
        {"hours": 25},
        {"hours": "2"},
        {"new_date": "2026-02-30"},
        {"start_time": "9am"},
        {"customer": ""},
        {"invoiced": "yes"},
    ],
)
def test_invalid_values_are_422_and_change_nothing(api, entry, listed, body):
    reply = patch(api, body)

    assert reply.status == 422
    assert listed() == [entry]


def test_a_new_customer_is_found_under_its_name_only(api, entry, listed):
    updated = patch(api, {"customer": "Beta Inc"}).json

    assert listed(customer="beta inc", period="all") == [updated]
    assert listed(customer="acme corp", period="all") == []


def test_the_start_parameter_is_required(api, entry):
    reply = api("update_entry", query={}, body={"notes": "x"})

    assert reply.status == 422
    assert "start" in reply.message


@pytest.mark.parametrize(
    "start", ["yesterday", "2026-04-20T25:00:00", "1969-12-31T09:00:00"]
)
def test_a_malformed_start_is_422(api, entry, start):
    assert patch(api, {"notes": "x"}, start=start).status == 422


def test_the_start_may_carry_an_offset(api, entry):
    reply = patch(api, {"notes": "x"}, start="2026-04-20T07:00:00Z")

    assert reply.status == 200


@pytest.mark.parametrize("shift", [timedelta(0), timedelta(hours=1)])
def test_a_write_based_on_a_stale_read_is_refused(
    api, entry, store, listed, sample_owner, shift
):
    stale = store.get_entry(sample_owner, datetime(2026, 4, 20, 7, 0, tzinfo=UTC))
    patch(api, {"notes": "written first"})

    with pytest.raises(EntryChangedError) as refused:
        store.replace_entry(
            stale, replace(stale, start=stale.start + shift, notes="written second")
        )

    assert refused.value.status_code == 409
    assert [entry["notes"] for entry in listed()] == ["written first"]


def test_hours_that_round_to_zero_seconds_are_refused(api, book, listed):
    entry = book("2026-04-20", "09:00", "1h")

    reply = api("update_entry", query={"start": entry["start"]}, body={"hours": 1e-9})

    assert reply.status == 422
    assert "second" in reply.message
    assert listed()[0]["hours"] == 1.0
