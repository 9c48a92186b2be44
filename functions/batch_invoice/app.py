"""POST /api/clocks/batch-invoice: mark entries invoiced."""

from clocks import timesheet
from clocks.bodies import read_body
from clocks.http import caller_of, create_app, json_response, lambda_handler
from clocks.periods import utc_now
from clocks.requests import BatchInvoiceRequest
from clocks.storage import entry_store

app = create_app(reads_body=True)


@app.post("/batch-invoice")
def batch_invoice():
    request = read_body(app, BatchInvoiceRequest)
    outcome = timesheet.batch_invoice(entry_store(), caller_of(app), request, utc_now())
    return json_response(outcome)


handler = lambda_handler(app)
