"""POST /api/clocks/quick-book: book time after the fact."""

from clocks import timesheet
from clocks.bodies import read_body
from clocks.http import caller_of, create_app, json_response, lambda_handler
from clocks.periods import utc_now
from clocks.requests import QuickBookRequest
from clocks.storage import entry_store

app = create_app(reads_body=True)


@app.post("/quick-book")
def quick_book():
    request = read_body(app, QuickBookRequest)
    entry = timesheet.quick_book(entry_store(), caller_of(app), request, utc_now())
    return json_response(entry, 201)


handler = lambda_handler(app)
