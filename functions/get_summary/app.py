"""GET /api/clocks/summary: hours per customer in a period."""

from clocks import timesheet
from clocks.http import caller_of, create_app, json_response, lambda_handler, query_of
from clocks.periods import utc_now
from clocks.storage import entry_store

app = create_app()


@app.get("/summary")
def get_summary():
    query = query_of(app, ("period", "from_date", "to_date"))
    summary = timesheet.summarize(entry_store(), caller_of(app), query, utc_now())
    return json_response(summary)


handler = lambda_handler(app)
