"""PATCH /api/clocks/entries?start=...: change an entry."""

from clocks import timesheet
from clocks.bodies import read_body
from clocks.http import (
    caller_of,
    create_app,
    json_response,
    lambda_handler,
    required_start,
)
from clocks.periods import utc_now
from clocks.requests import UpdateEntryRequest
from clocks.storage import entry_store

app = create_app(reads_body=True)


@app.patch("/entries")
def update_entry():
    start = required_start(app)
    request = read_body(app, UpdateEntryRequest)
    entry = timesheet.update_entry(
        entry_store(), caller_of(app), start, request, utc_now()
    )
    return json_response(entry)


handler = lambda_handler(app)
