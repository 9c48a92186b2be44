"""The admin command line: usage, feed URLs and finding the local server.

Nothing here reaches a database: every case ends before a client is made.
"""

import json
import os
import shlex
import subprocess
import sys

import pytest

from tools import admin
from tools.local_api import ENDPOINT_FILE


def _fails(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    try:
        status = admin.main(argv)
    except SystemExit as leaving:
        status = leaving.code
    return status, capsys.readouterr().err


@pytest.mark.parametrize(
    "command",
    [
        "",
        "make-token",
        "create-token --owner alice --name x",
        "create-token --owner alice --name x --scope admin",
        "create-token --owner al#ice --name x --scope api",
        "create-token --owner '' --name x --scope api",
        "create-token --owner alice --name ' ' --scope api",
        "create-token --owner a --name x --scope api --expires-in-days 0",
        "create-token --owner a --name x --scope api --expires-in-days soon",
        "create-token --owner a --name x --scope api --feed-url https://x.example/f",
        "create-token --owner a --name x --scope feed --feed-url calendar.ics",
        "list-tokens",
        "list-tokens --owner alice --entries-table Entries",
        "list-tokens --owner alice --tokens-table Tokens",
        "list-tokens --owner alice --region eu-west-1",
        "list-tokens --owner a --entries-table E --tokens-table T --data-dir /tmp",
        "revoke-token --owner alice",
        "revoke-token --owner alice not/an/id",
        "set-time-zone --owner alice Europe/Atlantis",
        "set-time-zone --owner alice ../../etc/passwd",
    ],
)
def test_bad_usage_exits_with_2_and_a_message(command, capsys):
    status, errors = _fails(shlex.split(command), capsys)

    assert status == 2
    assert "error:" in errors


def test_no_local_server_is_an_error_naming_both_ways_out(tmp_path, capsys):
    status, errors = _fails(
        ["list-tokens", "--owner", "alice", "--data-dir", str(tmp_path)], capsys
    )

    assert status == 1
    assert "make run" in errors
    assert "--entries-table" in errors


def _endpoint(tmp_path, **fields):
    endpoint = {
        "pid": os.getpid(),
        "api_url": "http://127.0.0.1:3000",
        "endpoint_url": "http://127.0.0.1:8000",
        "region": "eu-central-1",
        "dummy_credentials": True,
        "entries_table": "ClocksEntries",
        "tokens_table": "ClocksTokens",
    } | fields
    (tmp_path / ENDPOINT_FILE).write_text(json.dumps(endpoint))


def test_a_stopped_servers_endpoint_file_is_reported_as_stale(tmp_path, capsys):
    gone = subprocess.Popen([sys.executable, "-c", ""])
    gone.wait()
    _endpoint(tmp_path, pid=gone.pid)

    status, errors = _fails(
        ["list-tokens", "--owner", "alice", "--data-dir", str(tmp_path)], capsys
    )

    assert status == 1
    assert "has stopped" in errors


def test_an_in_memory_database_is_out_of_reach(tmp_path, capsys):
    _endpoint(tmp_path, endpoint_url=None)

    status, errors = _fails(
        ["list-tokens", "--owner", "alice", "--data-dir", str(tmp_path)], capsys
    )

    assert status == 1
    assert "in memory" in errors


def test_an_unreadable_endpoint_file_is_reported(tmp_path, capsys):
    (tmp_path / ENDPOINT_FILE).write_text("{not json")

    status, errors = _fails(
        ["list-tokens", "--owner", "alice", "--data-dir", str(tmp_path)], capsys
    )

    assert status == 1
    assert ENDPOINT_FILE in errors


@pytest.mark.parametrize(
    ("base", "url"),
    [
        (
            "https://abc.lambda-url.eu-central-1.on.aws/calendar.ics?token=",
            "https://abc.lambda-url.eu-central-1.on.aws/calendar.ics?token=clk_s",
        ),
        (
            "http://127.0.0.1:3000/calendar.ics",
            "http://127.0.0.1:3000/calendar.ics?token=clk_s",
        ),
        (
            "https://x.example/feed?from_date=2026-01-01",
            "https://x.example/feed?from_date=2026-01-01&token=clk_s",
        ),
    ],
)
def test_the_feed_url_carries_the_token_after_any_base(base, url):
    assert admin.feed_url_with(base, "clk_s") == url
