"""The data of `make run` outlives the server; its first start makes tokens once."""

import re
from dataclasses import dataclass
from typing import Any

import pytest

from tools.dynamodb_local import unavailable_reason
from tools.local_api import endpoint_path

pytestmark = pytest.mark.e2e

WHY_NOT = unavailable_reason()
DAY = "2031-02-03"


@dataclass
class Restart:
    first: Any
    second: Any
    entry: dict[str, Any]
    timer: dict[str, Any]
    endpoint_file_while_running: bool
    endpoint_file_after_stop: bool


@pytest.fixture(scope="module")
def restart(start_server, tmp_path_factory) -> Restart:
    data_dir = tmp_path_factory.mktemp("restart") / "clocks-data"
    first = start_server(data_dir)
    entry = first.api.book("Restart GmbH", "1h", date=DAY, notes="kept")
    timer = first.api.post("/start", {"customer": "Restart GmbH"}).json()
    running = endpoint_path(data_dir).exists()
    first.stop()
    stopped = endpoint_path(data_dir).exists()

    second = start_server(data_dir)
    return Restart(first, second, entry, timer, running, stopped)


@pytest.mark.skipif(
    WHY_NOT is not None,
    reason=f"only DynamoDB Local keeps data, and it cannot run: {WHY_NOT}",
)
def test_entries_and_the_running_timer_survive_a_restart(restart):
    second = restart.second

    assert second.api.entries_on(DAY) == [restart.entry]
    active = second.api.get("/active").json()
    assert (active["id"], active["start"]) == (
        restart.timer["id"],
        restart.timer["start"],
    )
    assert "DynamoDB Local" in second.output


@pytest.mark.skipif(
    WHY_NOT is not None,
    reason=f"only DynamoDB Local keeps tokens, and it cannot run: {WHY_NOT}",
)
def test_first_start_shows_working_tokens_once_and_a_restart_shows_none(
    restart, used_secrets
):
    first, second = restart.first, restart.second
    api_token = re.search(r"api token +(clk_\S+)", first.output)
    feed_url = re.search(r"feed URL +(http://\S+)", first.output)
    assert api_token and feed_url
    used_secrets.update([api_token[1], feed_url[1].partition("token=")[2]])

    listed = second.api.with_token(api_token[1]).entries_on(DAY)
    feed = second.http.get("/calendar.ics?" + feed_url[1].partition("?")[2])

    assert listed == [restart.entry]
    assert feed.status == 200
    assert feed.content_type.startswith("text/calendar")
    assert first.output.count(api_token[1]) == 1
    assert "First start" not in second.output
    assert "clk_" not in second.output


def test_the_endpoint_file_exists_only_while_the_server_runs(restart):
    endpoint = restart.second.endpoint

    assert restart.endpoint_file_while_running
    assert not restart.endpoint_file_after_stop
    assert endpoint.api_url == restart.second.base_url
    assert endpoint.entries_table == "ClocksEntries"
    assert endpoint.tokens_table == "ClocksTokens"
