"""POST /api/clocks/stop: turn the running timer into an entry."""

from clocks import timesheet
from clocks.http import caller_of, create_app, json_response, lambda_handler
from clocks.periods import utc_now
from clocks.storage import entry_store

app = create_app()


@app.post("/stop")
def stop_timer():
    return json_response(timesheet.stop_timer(entry_store(), caller_of(app), utc_now()))


handler = lambda_handler(app)
