"""Invoiced entries are locked, and a busy database is a 503 that changed nothing."""

import pytest
from botocore.exceptions import ClientError, ReadTimeoutError

from clocks.storage import entry_store


def throttled(operation: str) -> ClientError:
    error = {"Code": "ProvisionedThroughputExceededException", "Message": "slow down"}
    return ClientError({"Error": error}, operation)


def invoiced_entry(api, book) -> dict:
    entry = book("2026-04-20", "09:00", "1h")
    reply = api("batch_invoice", body={"starts": [entry["start"]]})
    assert reply.json["invoiced"] == 1
    return entry


@pytest.mark.parametrize(
    "change",
    [{"hours": 2}, {"customer": "Beta Inc"}, {"start_time": "10:00"}, {"task_id": "x"}],
)
def test_an_invoiced_entry_cannot_change_what_was_billed(api, book, listed, change):
    entry = invoiced_entry(api, book)

    reply = api("update_entry", query={"start": entry["start"]}, body=change)

    assert reply.status == 409
    assert "invoiced" in reply.message
    assert listed() == [{**entry, "invoiced": True}]


def test_an_invoiced_entry_takes_notes_and_can_be_uninvoiced(api, book, listed):
    entry = invoiced_entry(api, book)

    noted = api("update_entry", query={"start": entry["start"]}, body={"notes": "paid"})
    reopened = api(
        "update_entry", query={"start": entry["start"]}, body={"invoiced": False}
    )
    edited = api("update_entry", query={"start": entry["start"]}, body={"hours": 2})

    assert [noted.status, reopened.status, edited.status] == [200, 200, 200]
    assert listed()[0]["hours"] == 2.0
    assert listed()[0]["notes"] == "paid"


def test_an_invoiced_entry_cannot_be_deleted(api, book, listed):
    entry = invoiced_entry(api, book)

    reply = api("delete_entry", query={"start": entry["start"]})

    assert reply.status == 409
    assert "invoiced" in reply.message
    assert len(listed()) == 1


def test_deleting_a_missing_entry_is_still_404(api):
    reply = api("delete_entry", query={"start": "2026-04-20T09:00:00"})

    assert reply.status == 404


def test_a_throttled_write_is_a_503_with_retry_after(api, listed, monkeypatch):
    def refuse(**request):
        raise throttled("PutItem")

    monkeypatch.setattr(entry_store()._client, "put_item", refuse)

    reply = api(
        "quick_book",
        body={"customer": "Acme Corp", "duration": "1h", "date": "2026-04-20"},
    )

    assert reply.status == 503
    assert reply.headers["Retry-After"] == "1"
    monkeypatch.undo()
    assert listed() == []


def test_a_read_timeout_is_a_503(api, monkeypatch):
    def time_out(**request):
        raise ReadTimeoutError(endpoint_url="http://127.0.0.1:9")

    monkeypatch.setattr(entry_store()._client, "get_item", time_out)

    reply = api("get_active_timer")

    assert reply.status == 503
    assert "try again" in reply.message


def test_a_transaction_lost_to_a_concurrent_one_is_a_503_not_a_conflict(
    api, book, listed, monkeypatch
):
    entry = book("2026-04-20", "09:00", "1h")
    reasons = [{"Code": "None"}, {"Code": "TransactionConflict"}]
    cancelled = ClientError(
        {
            "Error": {"Code": "TransactionCanceledException", "Message": "conflict"},
            "CancellationReasons": reasons,
        },
        "TransactWriteItems",
    )

    def cancel(**request):
        raise cancelled

    monkeypatch.setattr(entry_store()._client, "transact_write_items", cancel)

    reply = api(
        "update_entry", query={"start": entry["start"]}, body={"start_time": "11:00"}
    )

    assert reply.status == 503
    monkeypatch.undo()
    assert listed() == [entry]
