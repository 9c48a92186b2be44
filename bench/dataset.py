"""Entries to measure with: the sample events' own, and histories of many owners.

Items are made by the layer's EntryStore itself (with a client that only records
its writes), so they carry exactly the keys and index attributes the functions
write: the sparse indexes hold what they would hold in production.
"""

import copy
import json
import random
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

from clocks.entry import Entry, Timer
from clocks.storage import EntryStore
from clocks.tokens import TokenStore
from tools.template import ROOT

EVENTS = ROOT / "events"
CUSTOMERS = ("Acme Corp", "Beta Inc", "Gamma GmbH", "Delta LLC", "Epsilon SA")
CONTRACTS = ("Retainer", "Project")
DESCRIPTIONS = (
    "Landing page",
    "Code review",
    "Sprint planning",
    "Bug triage",
    "Database migration",
    "Client call",
    "Release preparation",
    "Documentation",
)
NOTES = (
    "",
    "",
    "",
    "Reviewed the open pull requests and left comments on the API design.",
    "Call with the product owner about the roadmap; follow up on pricing next week.",
)
DAY_STARTS = time(8, 0)
WORKING_MINUTES = 9 * 60
BATCH_SIZE = 25


class RecordingClient:
    """Keeps the items an EntryStore or TokenStore would write."""

    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []

    def put_item(self, **request: Any) -> None:
        self.items.append(request["Item"])


def entry_items(entries: list[Entry]) -> list[dict[str, Any]]:
    """Each entry as the item EntryStore writes for it."""
    client = RecordingClient()
    store = EntryStore(client, "recorded")
    for entry in entries:
        store.add_entry(entry)
    return client.items


def timer_item(timer: Timer) -> dict[str, Any]:
    client = RecordingClient()
    EntryStore(client, "recorded").start_timer(timer)
    return client.items[0]


def token_item(owner: str, secret: str, scope: str, now: datetime) -> dict[str, Any]:
    """The stored form of a token with a known secret."""
    client = RecordingClient()
    TokenStore(client, "recorded").create(
        owner, f"bench {scope}", scope, now, secret=secret
    )
    return client.items[0]


def workdays_before(today: date) -> Iterator[date]:
    """Monday to Friday, from the day before `today` backwards."""
    day = today
    while True:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            yield day


def first_of_last_month(today: date) -> date:
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def history(owner: str, count: int, today: date, per_day: int = 3) -> list[Entry]:
    """`count` entries of `owner` on the workdays before `today`, newest first.

    Entries that start before last month are invoiced, as a freelancer bills
    monthly; the ones since are not.
    """
    rng = random.Random(owner)
    slot = WORKING_MINUTES // per_day
    billed_before = first_of_last_month(today)
    customers = rng.sample(CUSTOMERS, len(CUSTOMERS))
    entries: list[Entry] = []
    for day in workdays_before(today):
        for number in reversed(range(per_day)):
            if len(entries) == count:
                return entries
            start = datetime.combine(day, DAY_STARTS, tzinfo=UTC) + timedelta(
                minutes=number * slot
            )
            minutes = 5 * rng.randint(slot // 10, slot * 9 // 50)
            end = start + timedelta(minutes=minutes)
            entries.append(
                Entry(
                    owner=owner,
                    id=f"{rng.getrandbits(128):032x}",
                    start=start,
                    end=end,
                    customer=rng.choice(customers),
                    description=rng.choice(DESCRIPTIONS),
                    task_id=f"T-{rng.randint(100, 999)}"
                    if rng.random() < 0.5
                    else None,
                    contract=rng.choice(CONTRACTS),
                    invoiced=day < billed_before,
                    notes=rng.choice(NOTES),
                    created_at=end,
                    updated_at=end,
                )
            )
    return entries


def sample_entries(owner: str, now: datetime) -> list[Entry]:
    """What the sample events expect of their owner, and a few recent entries.

    The PATCH, DELETE and batch-invoice events name 2026-04-20 09:00 and 14:00;
    the invoice preview asks for Acme Corp's contract Q2 2026; the listing asks
    for this week's Acme Corp entries, and the summary for this month.
    """
    april = datetime(2026, 4, 20, tzinfo=UTC)
    fixed = [
        (april + timedelta(hours=9), timedelta(hours=2), "Acme Corp", "Q2 2026"),
        (april + timedelta(hours=14), timedelta(hours=1.5), "Acme Corp", "Q2 2026"),
    ]
    recent = now.replace(minute=0, second=0, microsecond=0)
    for days, customer in ((1, "Acme Corp"), (2, "Beta Inc"), (3, "Acme Corp")):
        fixed.append(
            (recent - timedelta(days=days), timedelta(hours=1), customer, None)
        )
    return [
        Entry(
            owner=owner,
            id=f"{owner}-{number}",
            start=start,
            end=start + length,
            customer=customer,
            description="Sample work",
            contract=contract,
            created_at=start + length,
            updated_at=start + length,
        )
        for number, (start, length, customer, contract) in enumerate(fixed)
    ]


def sample_timer(owner: str, now: datetime) -> Timer:
    return Timer(
        owner=owner,
        id=f"{owner}-timer",
        start=now - timedelta(hours=1),
        customer="Acme Corp",
        description="Running",
    )


def read_event(name: str) -> dict[str, Any]:
    return json.loads((EVENTS / f"{name}.json").read_text(encoding="utf-8"))


def event_for(
    name: str,
    owner: str | None = None,
    query: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    """events/<name>.json for another owner, query or extra headers."""
    event = copy.deepcopy(read_event(name))
    authorizer = event.get("requestContext", {}).get("authorizer", {}).get("lambda")
    if owner is not None and authorizer is not None:
        authorizer["owner"] = owner
    if query is not None:
        event["rawQueryString"] = urlencode(query)
        event["queryStringParameters"] = dict(query)
        if not query:
            del event["queryStringParameters"]
    if headers:
        event["headers"] = {**event["headers"], **headers}
    return event


def put_requests(table: str, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Items as the writes lambda_process.py makes before a request."""
    return [
        {"table": table, "request": {"PutRequest": {"Item": item}}} for item in items
    ]


@dataclass(frozen=True)
class Load:
    items: int
    seconds: float


def load_items(clients: list[Any], table: str, items: list[dict[str, Any]]) -> None:
    """BatchWriteItem in batches of 25, one thread per client."""
    batches = [
        items[first : first + BATCH_SIZE] for first in range(0, len(items), BATCH_SIZE)
    ]

    def write(worker: int) -> None:
        client = clients[worker]
        for batch in batches[worker :: len(clients)]:
            pending = {table: [{"PutRequest": {"Item": item}} for item in batch]}
            while pending:
                answer = client.batch_write_item(RequestItems=pending)
                pending = answer.get("UnprocessedItems") or {}

    with ThreadPoolExecutor(max_workers=len(clients)) as pool:
        list(pool.map(write, range(len(clients))))
