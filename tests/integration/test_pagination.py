"""Reading more entries than DynamoDB returns in one page."""

from datetime import UTC, datetime, timedelta

from clocks.entry import Entry

COUNT = 1_500
# About 1.5 KB per item spreads 1,500 entries over several 1 MB query pages.
NOTES = "Pair programming on the checkout flow and its edge cases. " * 25


def test_every_entry_beyond_the_first_page_is_read_once_and_in_order(
    api, store, dynamodb, table_name, sample_owner
):
    first = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
    for number in range(COUNT):
        # Written out of order, so that the listing order comes from the key.
        start = first + timedelta(hours=(number * 7919) % COUNT)
        store.add_entry(
            Entry(
                owner=sample_owner,
                id=f"entry-{number:04d}",
                start=start,
                end=start + timedelta(minutes=20),
                customer="Acme Corp",
                notes=NOTES,
            )
        )
    pages = dynamodb.get_paginator("query").paginate(
        TableName=table_name,
        KeyConditionExpression="#owner = :owner",
        ExpressionAttributeNames={"#owner": "owner"},
        ExpressionAttributeValues={":owner": {"S": sample_owner}},
        Select="COUNT",
    )
    assert sum(1 for _ in pages) > 2

    everything = api("list_entries", query={"period": "all"}).json
    by_customer = api("list_entries", query={"customer": "acme corp", "period": "all"})
    summary = api("get_summary", query={"period": "all"}).json

    starts = [entry["start"] for entry in everything]
    assert len(everything) == COUNT
    assert len({entry["id"] for entry in everything}) == COUNT
    assert len(set(starts)) == COUNT
    assert starts == sorted(starts)
    assert starts[0] == "2026-01-05T09:00:00"
    assert by_customer.json == everything
    # 1,500 x 20 minutes: exact seconds make 500 hours, not 1,500 x 0.33.
    assert summary["customers"] == [
        {"customer": "Acme Corp", "hours": 500.0, "entry_count": COUNT}
    ]
    assert summary["total_hours"] == 500.0
