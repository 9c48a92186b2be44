"""GET /api/clocks/calendar.ics and the Function URL: the iCalendar feed.

Through the API the authorizer has vouched for an api token. On the Function URL,
which calendar apps poll and which has no authorizer, a feed token must come as
?token=; without a valid one the feed does not exist (404).
"""

from aws_lambda_powertools.event_handler import Response

from clocks import timesheet
from clocks.entry import Caller
from clocks.errors import NotFoundError
from clocks.feed import feed_etag, render_feed
from clocks.http import (
    authorized_owner,
    caller_for,
    create_app,
    etag_matches,
    lambda_handler,
    query_of,
)
from clocks.periods import utc_now
from clocks.storage import entry_store
from clocks.tokens import token_store

CALENDAR_TYPE = "text/calendar; charset=utf-8"

app = create_app()


def _feed_caller() -> Caller:
    # Checked before anything else, so that without a valid token the feed does not
    # exist at all, not even as a list of its parameters.
    owner = authorized_owner(app)
    if owner is None:
        secret = app.current_event.get_query_string_value("token")
        owner = token_store().authenticate(secret, "feed", utc_now())
    if owner is None:
        raise NotFoundError("Not Found")
    return caller_for(owner)


@app.route("/calendar.ics", method=["GET", "HEAD"])
@app.route("/", method=["GET", "HEAD"])
def calendar_feed():
    caller = _feed_caller()
    query = query_of(app, ("from_date", "to_date", "token"))
    entries = timesheet.feed_entries(entry_store(), caller, query, utc_now())
    etag = feed_etag(entries)
    headers = {"ETag": etag, "Cache-Control": "private, max-age=300"}
    if etag_matches(app, etag):
        return Response(status_code=304, headers=headers)
    body = render_feed(entries)
    if app.current_event.http_method == "HEAD":
        headers["Content-Length"] = str(len(body))
        return Response(status_code=200, content_type=CALENDAR_TYPE, headers=headers)
    return Response(
        status_code=200, content_type=CALENDAR_TYPE, body=body.decode(), headers=headers
    )


handler = lambda_handler(app)
