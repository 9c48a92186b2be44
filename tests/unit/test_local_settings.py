"""The local server refuses a setting it cannot honour before it starts anything."""

import json
import os
import subprocess
import sys

import pytest

from tools.local_api import (
    ENDPOINT_FILE,
    LocalApiError,
    LocalSettings,
    refuse_a_second_server,
)


@pytest.mark.parametrize("week_start", ["friday", "mon"])
def test_an_unknown_week_start_is_refused_at_start(monkeypatch, week_start):
    monkeypatch.setenv("WEEK_START", week_start)

    with pytest.raises(LocalApiError, match="WEEK_START"):
        LocalSettings.from_environment()


def test_sunday_weeks_are_accepted(monkeypatch):
    monkeypatch.setenv("WEEK_START", "Sunday")

    assert LocalSettings.from_environment().port > 0


def _endpoint_file(folder, pid: int) -> None:
    endpoint = {
        "pid": pid,
        "api_url": "http://127.0.0.1:3000",
        "endpoint_url": "http://127.0.0.1:8000",
        "region": "eu-central-1",
        "dummy_credentials": True,
        "entries_table": "ClocksEntries",
        "tokens_table": "ClocksTokens",
    }
    (folder / ENDPOINT_FILE).write_text(json.dumps(endpoint))


def test_a_second_server_on_a_running_servers_data_is_refused(tmp_path):
    _endpoint_file(tmp_path, pid=os.getppid())

    with pytest.raises(LocalApiError, match="another local server"):
        refuse_a_second_server(tmp_path)


def test_a_stopped_servers_leftover_file_does_not_block_a_start(tmp_path):
    gone = subprocess.Popen([sys.executable, "-c", ""])
    gone.wait()
    _endpoint_file(tmp_path, pid=gone.pid)

    refuse_a_second_server(tmp_path)
