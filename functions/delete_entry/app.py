"""DELETE /api/clocks/entries?start=...: remove an entry."""

from aws_lambda_powertools.event_handler import Response

from clocks import timesheet
from clocks.http import caller_of, create_app, lambda_handler, required_start
from clocks.storage import entry_store

app = create_app()


@app.delete("/entries")
def delete_entry():
    timesheet.delete_entry(entry_store(), caller_of(app), required_start(app))
    return Response(status_code=204)


handler = lambda_handler(app)
