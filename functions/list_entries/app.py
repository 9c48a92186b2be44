"""GET /api/clocks/entries: entries of a period, customer or task."""

from clocks import timesheet
from clocks.http import caller_of, create_app, json_response, lambda_handler, query_of
from clocks.periods import utc_now
from clocks.storage import entry_store

app = create_app()


@app.get("/entries")
def list_entries():
    query = query_of(app, ("period", "customer", "from_date", "to_date", "task_id"))
    entries = timesheet.list_entries(entry_store(), caller_of(app), query, utc_now())
    return json_response(entries)


handler = lambda_handler(app)
