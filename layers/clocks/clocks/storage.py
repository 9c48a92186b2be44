"""DynamoDB access: the only module that talks to boto3.

One table holds every owner's entries under partition key `owner` and sort key
`start` (a UTC instant string). Sparse indexes answer the other questions:
ByCustomer (customer_key), ByTask (task_key, only entries with a task) and
Unbilled (unbilled_key, removed once an entry is invoiced). The running timer is
one item per owner whose sort key sorts after every instant.
"""

from collections.abc import Iterator
from datetime import datetime, timedelta
from functools import cache
from typing import Any, Literal

import boto3
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from clocks.entry import Entry, Timer, customer_key
from clocks.errors import (
    EntryChangedError,
    EntryInvoicedError,
    EntryNotFoundError,
    NoTimerError,
    StartTakenError,
    TimerRunningError,
)
from clocks.settings import dynamodb_config, load_settings
from clocks.times import format_instant, parse_instant

TIMER_KEY = "timer"
# The owner's settings; like the timer, its sort key sorts after every instant.
PROFILE_KEY = "profile"
InvoiceOutcome = Literal["invoiced", "already_invoiced", "not_found"]

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def _to_dynamo(item: dict[str, Any]) -> dict[str, Any]:
    return {name: _serializer.serialize(value) for name, value in item.items()}


def _from_dynamo(item: dict[str, Any]) -> dict[str, Any]:
    return {name: _deserializer.deserialize(value) for name, value in item.items()}


def _entry_item(entry: Entry) -> dict[str, Any]:
    item: dict[str, Any] = {
        "owner": entry.owner,
        "start": format_instant(entry.start),
        "end": format_instant(entry.end),
        "id": entry.id,
        "customer": entry.customer,
        "customer_key": customer_key(entry.owner, entry.customer),
        "description": entry.description,
        "invoiced": entry.invoiced,
        "notes": entry.notes,
        "sequence": entry.sequence,
        "revision": entry.revision,
    }
    if entry.created_at:
        item["created_at"] = format_instant(entry.created_at)
    if entry.updated_at:
        item["updated_at"] = format_instant(entry.updated_at)
    if entry.contract:
        item["contract"] = entry.contract
    if entry.task_id:
        item["task_id"] = entry.task_id
        item["task_key"] = f"{entry.owner}#{entry.task_id}"
    if not entry.invoiced:
        item["unbilled_key"] = item["customer_key"]
    return item


def _optional_instant(text: str | None) -> datetime | None:
    return parse_instant(text) if text else None


def _entry_from(item: dict[str, Any]) -> Entry:
    return Entry(
        owner=item["owner"],
        id=item["id"],
        start=parse_instant(item["start"]),
        end=parse_instant(item["end"]),
        customer=item["customer"],
        description=item.get("description", ""),
        task_id=item.get("task_id"),
        contract=item.get("contract"),
        invoiced=bool(item.get("invoiced", False)),
        notes=item.get("notes", ""),
        created_at=_optional_instant(item.get("created_at")),
        updated_at=_optional_instant(item.get("updated_at")),
        sequence=int(item.get("sequence", 0)),
        revision=int(item.get("revision", 0)),
    )


def _timer_item(timer: Timer) -> dict[str, Any]:
    item = {
        "owner": timer.owner,
        "start": TIMER_KEY,
        "started_at": format_instant(timer.start),
        "id": timer.id,
        "customer": timer.customer,
        "description": timer.description,
        "notes": timer.notes,
    }
    if timer.task_id:
        item["task_id"] = timer.task_id
    if timer.contract:
        item["contract"] = timer.contract
    return item


def _timer_from(item: dict[str, Any]) -> Timer:
    return Timer(
        owner=item["owner"],
        id=item["id"],
        start=parse_instant(item["started_at"]),
        customer=item["customer"],
        description=item.get("description", ""),
        task_id=item.get("task_id"),
        contract=item.get("contract"),
        notes=item.get("notes", ""),
    )


def _failed_condition(error: ClientError) -> bool:
    return error.response["Error"]["Code"] == "ConditionalCheckFailedException"


def _cancelled_by_condition(error: ClientError) -> list[bool]:
    """For a cancelled transaction, which of its items failed their condition."""
    if error.response["Error"]["Code"] != "TransactionCanceledException":
        return []
    reasons = error.response.get("CancellationReasons", [])
    return [reason.get("Code") == "ConditionalCheckFailed" for reason in reasons]


class EntryStore:
    """Entries and timers of every owner in one DynamoDB table."""

    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def _key(self, owner: str, start: str) -> dict[str, Any]:
        return _to_dynamo({"owner": owner, "start": start})

    def _query(self, **request: Any) -> Iterator[dict[str, Any]]:
        paginator = self._client.get_paginator("query")
        for page in paginator.paginate(TableName=self._table, **request):
            for item in page["Items"]:
                yield _from_dynamo(item)

    def get_entry(self, owner: str, start: datetime) -> Entry | None:
        """The entry that starts at `start`, if any."""
        answer = self._client.get_item(
            TableName=self._table,
            Key=self._key(owner, format_instant(start)),
            ConsistentRead=True,
        )
        return _entry_from(_from_dynamo(answer["Item"])) if "Item" in answer else None

    def entries_between(
        self,
        owner: str,
        since: datetime,
        until: datetime,
        *,
        customer: str | None = None,
        task_id: str | None = None,
        unbilled_only: bool = False,
    ) -> list[Entry]:
        """Entries starting in [since, until), oldest first, following every page."""
        if since >= until:
            return []
        if unbilled_only and customer is not None:
            index, key_name, key = (
                "Unbilled",
                "unbilled_key",
                customer_key(owner, customer),
            )
        elif customer is not None:
            index, key_name, key = (
                "ByCustomer",
                "customer_key",
                customer_key(owner, customer),
            )
        elif task_id is not None:
            index, key_name, key = "ByTask", "task_key", f"{owner}#{task_id}"
        else:
            index, key_name, key = None, "owner", owner
        # BETWEEN is inclusive; instants have whole seconds, so the last second of the
        # range is the upper bound.
        last = format_instant(until - timedelta(seconds=1))
        request: dict[str, Any] = {
            "KeyConditionExpression": "#key = :key AND #start BETWEEN :since AND :last",
            "ExpressionAttributeNames": {"#key": key_name, "#start": "start"},
            "ExpressionAttributeValues": _to_dynamo(
                {":key": key, ":since": format_instant(since), ":last": last}
            ),
        }
        if index is not None:
            request["IndexName"] = index
        entries = [_entry_from(item) for item in self._query(**request)]
        if task_id is not None and index != "ByTask":
            entries = [entry for entry in entries if entry.task_id == task_id]
        return entries

    def _new_entry_put(self, entry: Entry) -> dict[str, Any]:
        """A put of `entry` that succeeds only while its start is free."""
        return {
            "TableName": self._table,
            "Item": _to_dynamo(_entry_item(entry)),
            "ConditionExpression": "attribute_not_exists(#start)",
            "ExpressionAttributeNames": {"#start": "start"},
        }

    def _delete_and_add(
        self, delete: dict[str, Any], entry: Entry, gone: Exception
    ) -> None:
        """Delete one item and add `entry` at a free start, all or nothing.

        Raises `gone` when the delete's condition fails, StartTakenError when the
        start is taken.
        """
        try:
            self._client.transact_write_items(
                TransactItems=[
                    {"Delete": {"TableName": self._table, **delete}},
                    {"Put": self._new_entry_put(entry)},
                ]
            )
        except ClientError as error:
            failed = _cancelled_by_condition(error)
            # A cancellation for another reason (a conflicting transaction) is no
            # answer about the data: let it surface as a retryable failure.
            if not any(failed):
                raise
            if failed[0]:
                raise gone from None
            raise StartTakenError() from None

    def add_entry(self, entry: Entry) -> None:
        """Store a new entry; its start must be free."""
        try:
            self._client.put_item(**self._new_entry_put(entry))
        except ClientError as error:
            if _failed_condition(error):
                raise StartTakenError() from None
            raise

    def replace_entry(self, old: Entry, new: Entry) -> None:
        """Write `new` over `old`, moving it atomically when its start changed.

        Fails with a conflict if `old` changed or vanished since it was read, or
        if the new start is taken.
        """
        guard = {
            "ConditionExpression": "#revision = :revision",
            "ExpressionAttributeNames": {"#revision": "revision"},
            "ExpressionAttributeValues": _to_dynamo({":revision": old.revision}),
        }
        if old.start == new.start:
            try:
                self._client.put_item(
                    TableName=self._table, Item=_to_dynamo(_entry_item(new)), **guard
                )
            except ClientError as error:
                if _failed_condition(error):
                    raise EntryChangedError() from None
                raise
            return
        old_key = self._key(old.owner, format_instant(old.start))
        self._delete_and_add({"Key": old_key, **guard}, new, EntryChangedError())

    def delete_entry(self, owner: str, start: datetime) -> None:
        """Remove the entry at `start`; not-found if none, a conflict if invoiced."""
        try:
            self._client.delete_item(
                TableName=self._table,
                Key=self._key(owner, format_instant(start)),
                ConditionExpression="attribute_exists(#start) AND #invoiced = :no",
                ExpressionAttributeNames={"#start": "start", "#invoiced": "invoiced"},
                ExpressionAttributeValues=_to_dynamo({":no": False}),
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as error:
            if not _failed_condition(error):
                raise
            if error.response.get("Item"):
                raise EntryInvoicedError() from None
            raise EntryNotFoundError() from None

    def mark_invoiced(
        self, owner: str, start: datetime, now: datetime
    ) -> InvoiceOutcome:
        """Mark one entry invoiced, telling apart done, done before and missing."""
        try:
            self._client.update_item(
                TableName=self._table,
                Key=self._key(owner, format_instant(start)),
                UpdateExpression=(
                    "SET #invoiced = :yes, #updated = :now, "
                    "#revision = #revision + :one REMOVE #unbilled"
                ),
                ConditionExpression="attribute_exists(#start) AND #invoiced = :no",
                ExpressionAttributeNames={
                    "#start": "start",
                    "#invoiced": "invoiced",
                    "#updated": "updated_at",
                    "#revision": "revision",
                    "#unbilled": "unbilled_key",
                },
                ExpressionAttributeValues=_to_dynamo(
                    {":yes": True, ":no": False, ":one": 1, ":now": format_instant(now)}
                ),
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as error:
            if not _failed_condition(error):
                raise
            return "already_invoiced" if error.response.get("Item") else "not_found"
        return "invoiced"

    def profile_of(self, owner: str) -> dict[str, str]:
        """The owner's chosen settings (time_zone, week_start); empty if none."""
        answer = self._client.get_item(
            TableName=self._table,
            Key=self._key(owner, PROFILE_KEY),
            ProjectionExpression="time_zone, week_start",
        )
        return {name: value["S"] for name, value in answer.get("Item", {}).items()}

    def time_zone_of(self, owner: str) -> str | None:
        """The zone the owner chose, if any."""
        return self.profile_of(owner).get("time_zone")

    def _set_profile(self, owner: str, name: str, value: str) -> None:
        # An update, not a put, so that setting one field keeps the others.
        self._client.update_item(
            TableName=self._table,
            Key=self._key(owner, PROFILE_KEY),
            UpdateExpression="SET #name = :value",
            ExpressionAttributeNames={"#name": name},
            ExpressionAttributeValues={":value": {"S": value}},
        )

    def set_time_zone(self, owner: str, zone_name: str) -> None:
        """Keep the owner's zone for every period and wall-clock time they see."""
        self._set_profile(owner, "time_zone", zone_name)

    def set_week_start(self, owner: str, day: str) -> None:
        """Keep the day (monday or sunday) the owner's weeks start on."""
        self._set_profile(owner, "week_start", day)

    def get_timer(self, owner: str) -> Timer | None:
        """The owner's running timer, if one runs."""
        answer = self._client.get_item(
            TableName=self._table, Key=self._key(owner, TIMER_KEY), ConsistentRead=True
        )
        return _timer_from(_from_dynamo(answer["Item"])) if "Item" in answer else None

    def start_timer(self, timer: Timer) -> None:
        """Store the running timer; the condition is the one-timer rule."""
        try:
            self._client.put_item(
                TableName=self._table,
                Item=_to_dynamo(_timer_item(timer)),
                ConditionExpression="attribute_not_exists(#start)",
                ExpressionAttributeNames={"#start": "start"},
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as error:
            if not _failed_condition(error):
                raise
            running = error.response.get("Item")
            timer = _timer_from(_from_dynamo(running)) if running else None
            raise TimerRunningError(timer) from None

    def finish_timer(self, timer: Timer, entry: Entry) -> None:
        """Delete the timer and store its entry in one transaction."""
        delete = {
            "Key": self._key(timer.owner, TIMER_KEY),
            "ConditionExpression": "#id = :id",
            "ExpressionAttributeNames": {"#id": "id"},
            "ExpressionAttributeValues": _to_dynamo({":id": timer.id}),
        }
        self._delete_and_add(delete, entry, NoTimerError())


@cache
def entry_store() -> EntryStore:
    """The process-wide store, created on first use and kept across invocations."""
    client = boto3.client("dynamodb", config=dynamodb_config())
    return EntryStore(client, load_settings().table_name)
