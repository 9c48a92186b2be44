"""POST /api/clocks/start: start the one timer."""

from clocks import timesheet
from clocks.bodies import read_body
from clocks.http import caller_of, create_app, json_response, lambda_handler
from clocks.periods import utc_now
from clocks.requests import StartTimerRequest
from clocks.storage import entry_store

app = create_app(reads_body=True)


@app.post("/start")
def start_timer():
    request = read_body(app, StartTimerRequest)
    timer = timesheet.start_timer(entry_store(), caller_of(app), request, utc_now())
    return json_response(timer, 201)


handler = lambda_handler(app)
