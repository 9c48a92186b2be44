"""GET /api/clocks/invoice-preview: unbilled entries of a customer."""

from clocks import timesheet
from clocks.http import caller_of, create_app, json_response, lambda_handler, query_of
from clocks.periods import utc_now
from clocks.storage import entry_store

app = create_app()


@app.get("/invoice-preview")
def invoice_preview():
    query = query_of(app, ("customer", "contract", "from_date", "to_date"))
    preview = timesheet.invoice_preview(entry_store(), caller_of(app), query, utc_now())
    return json_response(preview)


handler = lambda_handler(app)
