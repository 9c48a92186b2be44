"""GET /api/clocks/active: the running timer, if any."""

from clocks import timesheet
from clocks.http import caller_of, create_app, json_response, lambda_handler
from clocks.periods import utc_now
from clocks.storage import entry_store

app = create_app()


@app.get("/active")
def get_active_timer():
    return json_response(
        timesheet.active_timer(entry_store(), caller_of(app), utc_now())
    )


handler = lambda_handler(app)
