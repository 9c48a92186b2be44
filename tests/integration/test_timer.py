"""POST /start, GET /active and POST /stop: one running timer per owner."""

from datetime import timedelta


def test_a_timer_starts_with_only_a_customer(api):
    reply = api("start_timer", body={"customer": "Acme Corp"})

    assert reply.status == 201
    timer = reply.json
    assert timer["active"] is True
    assert timer["customer"] == "Acme Corp"
    assert timer["start"] == "2026-04-22T12:00:00"
    assert timer["id"]


def test_the_sample_start_keeps_description_task_and_contract(api):
    timer = api("start_timer").json

    assert (timer["description"], timer["task_id"], timer["contract"]) == (
        "Working on feature X",
        "abc123",
        "Q2 2026",
    )


def test_without_a_timer_active_says_false(api):
    reply = api("get_active_timer")

    assert reply.status == 200
    assert reply.json == {"active": False}


def test_the_running_timer_is_active_with_the_hours_so_far(api):
    started = api("start_timer", body={"customer": "Acme Corp"}).json
    api.now += timedelta(minutes=45)

    active = api("get_active_timer").json

    assert active["active"] is True
    assert active["id"] == started["id"]
    assert active["start"] == "2026-04-22T12:00:00"
    assert active["hours"] == 0.75


def test_second_start_is_refused_with_409_naming_the_running_timer(api):
    first = api("start_timer", body={"customer": "Acme Corp"}).json
    api.now += timedelta(minutes=5)

    second = api("start_timer", body={"customer": "Beta Inc"})

    assert second.status == 409
    assert "Acme Corp" in second.message
    assert second.json["running"]["id"] == first["id"]
    assert second.json["running"]["customer"] == "Acme Corp"
    assert second.json["running"]["start"] == "2026-04-22T12:00:00"
    assert api("get_active_timer").json["customer"] == "Acme Corp"


def test_stop_turns_the_timer_into_a_finished_entry_with_the_same_id(api, listed):
    started = api("start_timer").json
    api.now += timedelta(hours=1, minutes=30)

    reply = api("stop_timer")

    assert reply.status == 200
    entry = reply.json
    assert entry["id"] == started["id"]
    assert (entry["start"], entry["end"]) == (
        "2026-04-22T12:00:00",
        "2026-04-22T13:30:00",
    )
    assert entry["hours"] == 1.5
    assert entry["customer"] == "Acme Corp"
    assert entry["task_id"] == "abc123"
    assert entry["invoiced"] is False
    assert api("get_active_timer").json == {"active": False}
    assert listed() == [entry]


def test_stop_with_no_timer_is_404(api):
    reply = api("stop_timer")

    assert reply.status == 404
    assert reply.message == "no timer is running"


def test_a_second_stop_is_404_and_keeps_the_first_entry(api, listed):
    api("start_timer")
    api.now += timedelta(minutes=10)
    api("stop_timer")

    assert api("stop_timer").status == 404
    assert len(listed()) == 1


def test_a_new_timer_can_start_after_stopping(api):
    api("start_timer", body={"customer": "Acme Corp"})
    api.now += timedelta(minutes=10)
    api("stop_timer")

    again = api("start_timer", body={"customer": "Beta Inc"})

    assert again.status == 201
    assert api("get_active_timer").json["customer"] == "Beta Inc"


def test_stop_refuses_when_an_entry_already_has_the_timers_start(api, book, listed):
    api("start_timer", body={"customer": "Acme Corp"})
    booked = book("2026-04-22", "12:00:00", "30m", customer="Beta Inc")
    api.now += timedelta(hours=1)

    reply = api("stop_timer")

    assert reply.status == 409
    assert api("get_active_timer").json["customer"] == "Acme Corp"
    assert listed() == [booked]


def test_a_running_timer_is_not_an_entry(api, listed):
    api("start_timer")

    assert listed() == []
    assert listed(period="today") == []


def test_a_start_without_customer_is_refused_and_starts_nothing(api):
    for body in ({}, {"customer": ""}, {"customer": "  "}, {"description": "x"}):
        reply = api("start_timer", body=body)

        assert reply.status == 422, body
        assert "customer" in reply.message
    assert api("get_active_timer").json == {"active": False}


def test_a_start_with_an_unknown_field_is_refused(api):
    reply = api("start_timer", body={"customer": "Acme", "project": "Web"})

    assert reply.status == 422
    assert "project" in reply.message
