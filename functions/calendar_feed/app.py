"""GET /api/clocks/calendar.ics (and the Function URL): the iCalendar feed."""

import hashlib

from aws_lambda_powertools.event_handler import Response

from clocks import timesheet
from clocks.feed import render_feed
from clocks.http import caller_of, create_app, etag_matches, lambda_handler, query_of
from clocks.periods import utc_now
from clocks.storage import entry_store

CALENDAR_TYPE = "text/calendar; charset=utf-8"

app = create_app()


@app.get("/calendar.ics")
@app.get("/")
def calendar_feed():
    query = query_of(app, ("from_date", "to_date"))
    entries = timesheet.feed_entries(entry_store(), caller_of(app), query, utc_now())
    body = render_feed(entries)
    # Same entries, same bytes: a strong validator lets calendar apps poll cheaply.
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": "private, max-age=300"}
    if etag_matches(app, etag):
        return Response(status_code=304, headers=headers)
    return Response(
        status_code=200, content_type=CALENDAR_TYPE, body=body.decode(), headers=headers
    )


handler = lambda_handler(app)
