"""Request bodies as the functions read them: JSON text validated by the models."""

import json
from datetime import date, time

import pytest
from pydantic import ValidationError

from clocks.requests import (
    MAX_CUSTOMER,
    MAX_DESCRIPTION,
    MAX_NOTES,
    MAX_REFERENCE,
    MAX_STARTS,
    BatchInvoiceRequest,
    QuickBookRequest,
    StartTimerRequest,
    UpdateEntryRequest,
)


def read(model, body: dict):
    return model.model_validate_json(json.dumps(body))


def refusal(model, body: dict) -> str:
    with pytest.raises(ValidationError) as refused:
        read(model, body)
    return str(refused.value)


def test_a_start_needs_only_a_customer():
    request = read(StartTimerRequest, {"customer": "Acme Corp"})

    assert request.customer == "Acme Corp"
    assert (request.description, request.task_id, request.contract) == (
        None,
        None,
        None,
    )


def test_a_start_without_customer_is_refused():
    assert "customer" in refusal(StartTimerRequest, {"description": "x"})


@pytest.mark.parametrize("customer", ["", "   ", "\t"])
def test_a_blank_customer_is_refused(customer):
    assert "must not be empty" in refusal(StartTimerRequest, {"customer": customer})


def test_spaces_around_a_customer_are_dropped():
    assert read(StartTimerRequest, {"customer": "  Acme Corp "}).customer == "Acme Corp"


@pytest.mark.parametrize(
    "model", [StartTimerRequest, QuickBookRequest, UpdateEntryRequest]
)
def test_unknown_fields_are_refused_so_that_typos_do_not_pass(model):
    body = {"customer": "Acme", "duration": "1h", "custommer": "Acme"}
    if model is UpdateEntryRequest:
        body = {"custommer": "Acme"}

    assert "custommer" in refusal(model, body)


@pytest.mark.parametrize("field", ["customer", "description", "task_id", "contract"])
@pytest.mark.parametrize(
    "character", ["\x00", "\x07", "\x1b", "\n", "\r", "\x7f", "\x85"]
)
def test_single_line_fields_refuse_control_characters(field, character):
    body = {"customer": "Acme", field: f"before{character}after"}

    assert "control characters" in refusal(StartTimerRequest, body)


def test_notes_may_have_newlines_and_tabs_but_no_other_control_characters():
    notes = "Agenda:\n\t1. design\n\t2. budget"

    assert read(StartTimerRequest, {"customer": "A", "notes": notes}).notes == notes
    assert "control characters" in refusal(
        StartTimerRequest, {"customer": "A", "notes": "bell\x07"}
    )


@pytest.mark.parametrize(
    ("field", "longest"),
    [
        ("customer", MAX_CUSTOMER),
        ("description", MAX_DESCRIPTION),
        ("notes", MAX_NOTES),
        ("task_id", MAX_REFERENCE),
        ("contract", MAX_REFERENCE),
    ],
)
def test_text_fields_are_capped_at_their_documented_length(field, longest):
    body = {"customer": "Acme"}

    read(StartTimerRequest, body | {field: "é" * longest})
    assert "at most" in refusal(StartTimerRequest, body | {field: "é" * (longest + 1)})


def test_the_documented_caps_are_the_readme_numbers():
    assert (MAX_CUSTOMER, MAX_DESCRIPTION, MAX_NOTES, MAX_REFERENCE) == (
        200,
        2_000,
        10_000,
        200,
    )


@pytest.mark.parametrize(
    "body",
    [
        {"customer": 42},
        {"customer": ["Acme"]},
        {"customer": "Acme", "description": 7},
        {"customer": "Acme", "task_id": 123},
    ],
)
def test_values_of_the_wrong_type_are_refused_not_converted(body):
    refusal(StartTimerRequest, body)


def test_a_booking_reads_date_and_start_time_from_json_text():
    request = read(
        QuickBookRequest,
        {
            "duration": "2h",
            "customer": "A",
            "date": "2026-04-20",
            "start_time": "14:00",
        },
    )

    assert request.date == date(2026, 4, 20)
    assert request.start_time == time(14, 0)


@pytest.mark.parametrize(
    "body",
    [
        {"duration": "2h", "customer": "A", "date": "2026-02-30"},
        {"duration": "2h", "customer": "A", "date": "20.04.2026"},
        {"duration": "2h", "customer": "A", "start_time": "24:00"},
        {"duration": "2h", "customer": "A", "start_time": "9 am"},
        {"duration": 2, "customer": "A"},
        {"duration": "2h" * 30, "customer": "A"},
        {"customer": "A"},
    ],
)
def test_a_booking_with_a_bad_date_time_or_duration_field_is_refused(body):
    refusal(QuickBookRequest, body)


def test_an_update_knows_which_fields_were_given():
    request = read(UpdateEntryRequest, {"hours": 3, "description": None})

    assert request.model_fields_set == {"hours", "description"}
    assert request.hours == 3.0
    assert request.description is None


@pytest.mark.parametrize("field", ["description", "notes", "task_id", "contract"])
def test_null_clears_the_optional_text_fields(field):
    assert field in read(UpdateEntryRequest, {field: None}).model_fields_set


@pytest.mark.parametrize(
    "field", ["customer", "hours", "new_date", "start_time", "invoiced"]
)
def test_null_for_a_kept_field_is_refused(field):
    assert f"{field} cannot be null" in refusal(UpdateEntryRequest, {field: None})


@pytest.mark.parametrize("hours", [0, -1, 24.01, 1e308, "3", True])
def test_update_hours_must_be_a_number_above_zero_and_at_most_24(hours):
    refusal(UpdateEntryRequest, {"hours": hours})


def test_update_hours_refuses_not_a_number_and_infinity():
    for text in ('{"hours": NaN}', '{"hours": Infinity}'):
        with pytest.raises(ValidationError):
            UpdateEntryRequest.model_validate_json(text)


def test_invoiced_must_be_a_boolean():
    assert read(UpdateEntryRequest, {"invoiced": True}).invoiced is True
    refusal(UpdateEntryRequest, {"invoiced": "yes"})
    refusal(UpdateEntryRequest, {"invoiced": 1})


def test_a_batch_needs_between_one_and_the_maximum_number_of_starts():
    starts = ["2026-04-20T09:00:00"]

    assert read(BatchInvoiceRequest, {"starts": starts}).starts == starts
    read(BatchInvoiceRequest, {"starts": starts * MAX_STARTS})
    refusal(BatchInvoiceRequest, {"starts": []})
    refusal(BatchInvoiceRequest, {"starts": starts * (MAX_STARTS + 1)})


@pytest.mark.parametrize(
    "starts", ["2026-04-20T09:00:00", [42], [None], ["2026-04-20T09:00:00" * 3]]
)
def test_a_batch_refuses_starts_that_are_not_a_list_of_short_strings(starts):
    refusal(BatchInvoiceRequest, {"starts": starts})


def test_notes_pasted_from_windows_keep_their_line_ends():
    notes = "first line\r\nsecond line"

    assert read(StartTimerRequest, {"customer": "A", "notes": notes}).notes == notes
