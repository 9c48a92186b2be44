"""Handler tests run against moto at a fixed moment, unless a test moves the clock."""

from datetime import UTC, datetime
from typing import Any

import pytest

# A Wednesday; 12:00 in Berlin.
NOW = datetime(2026, 4, 22, 10, 0, tzinfo=UTC)


@pytest.fixture
def api(api):
    api.now = NOW
    return api


@pytest.fixture
def book(api):
    """Book an entry at an exact local start: book("2026-04-20", "09:00", "2h")."""

    def book(
        day: str, start_time: str, duration: str, customer: str = "Acme Corp", **fields
    ) -> dict[str, Any]:
        body = {
            "duration": duration,
            "customer": customer,
            "date": day,
            "start_time": start_time,
            **fields,
        }
        reply = api("quick_book", body=body)
        assert reply.status == 201, reply.body
        return reply.json

    return book


@pytest.fixture
def listed(api):
    """The entries GET /entries answers for a query (period=all unless given)."""

    def listed(**query: str) -> list[dict[str, Any]]:
        reply = api("list_entries", query=query or {"period": "all"})
        assert reply.status == 200, reply.body
        return reply.json

    return listed
