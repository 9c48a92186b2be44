"""The local server as a user meets it: `python -m tools.local_api` over real HTTP.

One server runs for the whole session, in Europe/Berlin, on a fresh data folder.
Every test books on days and for customers of its own, so that no test sees
another's entries; the one timer of the single owner is shared, so timer tests
leave it stopped.
"""

import itertools
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from email.message import Message
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from tools.dynamodb_local import free_port

ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 90
READY_LINE = "Ctrl-C stops it."
# Days far from today and from each other test's days; no DST change among them.
FIRST_DAY = date(2031, 4, 7)
_days = itertools.count()


@dataclass
class Answer:
    """An HTTP answer, whatever its status."""

    status: int
    headers: Message
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "")


class Api:
    """A small HTTP client for one server; paths are relative to its base URL."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        raw: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        sent = dict(headers or {})
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
            sent.setdefault("Content-Type", "application/json")
        request = urllib.request.Request(
            self.base_url + path, data=data, method=method, headers=sent
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return Answer(response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:
            with error:
                return Answer(error.code, error.headers, error.read())

    def get(self, path: str, **options: Any) -> Answer:
        return self.request("GET", path, **options)

    def post(self, path: str, body: Any = None, **options: Any) -> Answer:
        return self.request("POST", path, body, **options)

    def patch(self, path: str, body: Any = None, **options: Any) -> Answer:
        return self.request("PATCH", path, body, **options)

    def delete(self, path: str, **options: Any) -> Answer:
        return self.request("DELETE", path, **options)

    def book(self, customer: str, duration: str, **fields: Any) -> dict[str, Any]:
        """Quick-book and return the entry; dates and times may be objects."""
        body = {"customer": customer, "duration": duration}
        body |= {name: str(value) for name, value in fields.items()}
        answer = self.post("/quick-book", body)
        assert answer.status == 201, answer.body
        return answer.json()

    def entries(self, **query: Any) -> list[dict[str, Any]]:
        answer = self.get(f"/entries?{urlencode(query)}")
        assert answer.status == 200, answer.body
        return answer.json()

    def entries_on(self, day: date) -> list[dict[str, Any]]:
        return self.entries(from_date=day, to_date=day)


class LocalServer:
    """`python -m tools.local_api` in a subprocess, stopped by its PID."""

    def __init__(self, data_dir: Path, log_path: Path) -> None:
        self.port = free_port()
        self.log_path = log_path
        environment = {
            name: value
            for name, value in os.environ.items()
            # Nothing of the caller's AWS setup may reach the server.
            if not name.startswith(("AWS_", "CLOCKS_", "POWERTOOLS_"))
            and name not in ("DYNAMODB_ENDPOINT_URL", "TABLE_NAME", "PORT")
        }
        environment |= {
            "PORT": str(self.port),
            "CLOCKS_DATA_DIR": str(data_dir),
            "TIME_ZONE": "Europe/Berlin",
            "PYTHONUNBUFFERED": "1",
        }
        with log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "tools.local_api"],
                cwd=ROOT,
                env=environment,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self._wait_until_ready()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api(self) -> Api:
        """The JSON API under /api/clocks."""
        return Api(self.base_url + "/api/clocks")

    @property
    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while READY_LINE not in self.output:
            if self.process.poll() is not None:
                raise RuntimeError(f"the local server exited:\n{self.output}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the local server did not start:\n{self.output}")
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)


@pytest.fixture(scope="session")
def start_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Start servers on a data folder; all of them are stopped at the end."""
    started: list[LocalServer] = []

    def start(data_dir: Path) -> LocalServer:
        log_path = tmp_path_factory.mktemp("server-log") / "local_api.log"
        server = LocalServer(data_dir, log_path)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="session")
def server(start_server: Any, tmp_path_factory: pytest.TempPathFactory) -> LocalServer:
    return start_server(tmp_path_factory.mktemp("clocks-data"))


@pytest.fixture(scope="session")
def http(server: LocalServer) -> Api:
    """The server at its root, for paths outside the API."""
    return Api(server.base_url)


@pytest.fixture(scope="session")
def api(server: LocalServer) -> Api:
    return server.api


@pytest.fixture
def customer() -> str:
    """A customer no other test books for."""
    return f"Customer {uuid.uuid4().hex[:8]}"


@pytest.fixture
def new_day() -> Any:
    """Hands out days no other test books on."""

    def day() -> date:
        return FIRST_DAY + timedelta(days=next(_days))

    return day


@pytest.fixture
def day(new_day: Any) -> date:
    return new_day()


class Timer:
    """The owner's one timer. Starts wait for a second no entry starts in yet."""

    _last_start = 0

    def __init__(self, api: Api) -> None:
        self.api = api

    def start(self, customer: str, **fields: Any) -> Answer:
        self.wait_for_a_fresh_second()
        return self.api.post("/start", {"customer": customer, **fields})

    def wait_for_a_fresh_second(self) -> None:
        """Wait until no stopped timer's entry can start in the current second."""
        # A stopped timer's entry starts at the second the timer started, and two
        # entries never share a start, so each timer gets a second of its own.
        while int(time.time()) <= Timer._last_start:
            time.sleep(0.05)

    def stop(self) -> Answer:
        answer = self.api.post("/stop")
        # Whatever timer ran started by now, however it was started.
        Timer._last_start = int(time.time())
        return answer


@pytest.fixture
def timer(api: Api) -> Iterator[Timer]:
    """The timer, stopped before and after the test."""
    clock = Timer(api)
    clock.stop()
    yield clock
    clock.stop()
