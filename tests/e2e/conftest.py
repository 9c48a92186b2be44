"""The local server as a user meets it: `python -m tools.local_api` over real HTTP.

One server runs for the whole session, in Europe/Berlin, on a fresh data folder,
with CLOCKS_DEV_TOKEN set; the `api` client sends that token. Every test books on
days and for customers of its own, so that no test sees another's entries; the one
timer of the local owner is shared, so timer tests leave it stopped. Tests that
need owners or tokens of their own make them in the server's database, which they
find through the endpoint file in its data folder.
"""

import itertools
import json
import os
import re
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.message import Message
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from clocks.periods import utc_now
from clocks.tokens import Scope, Token, TokenStore
from tools.dynamodb_local import free_port, local_client
from tools.local_api import LOCAL_OWNER, LocalEndpoint, read_endpoint

ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 90
READY_LINE = "Ctrl-C stops it."
# Days far from today and from each other test's days; no DST change among them.
FIRST_DAY = date(2031, 4, 7)
_days = itertools.count()
# The servers' CLOCKS_DEV_TOKEN, an api token of the local owner.
DEV_TOKEN = "clk_dev_" + secrets.token_urlsafe(24)
SECRET_PATTERN = re.compile(r"clk_[A-Za-z0-9_-]+")
# Every secret the tests send; none may ever show in a server's output.
USED_SECRETS = {DEV_TOKEN}
OUTPUT_CHECK = "tests/e2e/test_server_output.py"


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
    """A small HTTP client for one server; paths are relative to its base URL.

    It sends `Authorization: Bearer <token>` unless the token is None or the
    request names its own Authorization header.
    """

    def __init__(self, base_url: str, token: str | None = DEV_TOKEN) -> None:
        self.base_url = base_url
        self.token = token

    def with_token(self, token: str | None) -> "Api":
        """The same server, as the holder of `token` (None: no header at all)."""
        return Api(self.base_url, token)

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        raw: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        sent = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        sent |= headers or {}
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
        self.data_dir = data_dir
        self.log_path = log_path
        environment = {
            name: value
            for name, value in os.environ.items()
            # Nothing of the caller's AWS setup may reach the server.
            if not name.startswith(("AWS_", "CLOCKS_", "POWERTOOLS_"))
            and name
            not in ("DYNAMODB_ENDPOINT_URL", "TABLE_NAME", "TOKENS_TABLE", "PORT")
        }
        environment |= {
            "PORT": str(self.port),
            "CLOCKS_DATA_DIR": str(data_dir),
            "CLOCKS_DEV_TOKEN": DEV_TOKEN,
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
    def http(self) -> Api:
        """The server at its root, for paths outside the API; no token is sent."""
        return Api(self.base_url, token=None)

    @property
    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    @property
    def endpoint(self) -> LocalEndpoint:
        """Where the server's database is, from the file it keeps while running."""
        return read_endpoint(self.data_dir)

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
    return server.http


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


class Tokens:
    """Tokens in a running server's database, made by the layer's TokenStore."""

    def __init__(self, server: LocalServer) -> None:
        endpoint = server.endpoint
        if endpoint.endpoint_url is None:
            pytest.skip("the server keeps its database in memory (moto), out of reach")
        self.server = server
        client = local_client(endpoint.endpoint_url)
        self.store = TokenStore(client, endpoint.tokens_table)

    def create(
        self,
        owner: str,
        scope: Scope = "api",
        *,
        name: str = "e2e",
        now: datetime | None = None,
        expires_at: datetime | None = None,
    ) -> tuple[str, Token]:
        secret, token = self.store.create(
            owner, name, scope, now or utc_now(), expires_at
        )
        USED_SECRETS.add(secret)
        return secret, token

    def revoked(self, owner: str, scope: Scope = "api") -> str:
        """The secret of a token that worked until it was revoked."""
        secret, token = self.create(owner, scope, name="revoked")
        assert self.store.revoke(owner, token.token_id)
        return secret

    def expired(self, owner: str, scope: Scope = "api") -> str:
        """The secret of a token that expired yesterday."""
        now = utc_now()
        secret, _ = self.create(
            owner,
            scope,
            name="expired",
            now=now - timedelta(days=2),
            expires_at=now - timedelta(days=1),
        )
        return secret

    def feed_url(self, secret: str) -> str:
        """The calendar feed on the Function URL path, opened by `secret`."""
        return f"/calendar.ics?token={secret}"


def run_admin(
    *arguments: str, environment: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m tools.admin ...`; secrets it prints count as used."""
    clean = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("AWS_", "CLOCKS_"))
    }
    result = subprocess.run(
        [sys.executable, "-m", "tools.admin", *arguments],
        cwd=ROOT,
        env=clean | (environment or {}),
        capture_output=True,
        text=True,
        timeout=60,
    )
    USED_SECRETS.update(SECRET_PATTERN.findall(result.stdout))
    return result


@dataclass
class Owner:
    """An owner with an api token of its own, and the API as that owner."""

    name: str
    secret: str
    api: Api


@pytest.fixture(scope="session")
def tokens(server: LocalServer) -> Tokens:
    return Tokens(server)


@pytest.fixture(scope="session")
def admin(server: LocalServer, tokens: Tokens) -> Callable[..., Any]:
    """The admin command on the session server's data folder."""

    def admin(*arguments: str) -> subprocess.CompletedProcess[str]:
        return run_admin(*arguments, "--data-dir", str(server.data_dir))

    return admin


@pytest.fixture
def new_owner(server: LocalServer, tokens: Tokens) -> Callable[[], Owner]:
    """Makes owners no other test knows, each with an api token."""

    def make() -> Owner:
        name = f"e2e-{uuid.uuid4().hex[:10]}"
        secret, _ = tokens.create(name)
        return Owner(name, secret, server.api.with_token(secret))

    return make


@pytest.fixture
def local_owner(api: Api) -> Owner:
    """The owner of CLOCKS_DEV_TOKEN, as the `api` client acts."""
    return Owner(LOCAL_OWNER, DEV_TOKEN, api)


@pytest.fixture(scope="session")
def admin_owner(server: LocalServer, admin: Callable[..., Any]) -> Callable[..., Owner]:
    """Makes an owner whose api token comes from `tools.admin create-token`."""

    def make(name: str) -> Owner:
        made = admin("create-token", "--owner", name, "--name", "e2e", "--scope", "api")
        assert made.returncode == 0, made.stderr
        found = SECRET_PATTERN.search(made.stdout)
        assert found, made.stdout
        return Owner(name, found[0], server.api.with_token(found[0]))

    return make


@pytest.fixture
def used_secrets() -> set[str]:
    """Every secret the tests have sent or made so far."""
    return USED_SECRETS


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The check of the server's output runs last, to cover every token of the run.
    items.sort(key=lambda item: item.nodeid.startswith(OUTPUT_CHECK))


@pytest.fixture(scope="session")
def admin_command() -> Callable[..., subprocess.CompletedProcess[str]]:
    """`python -m tools.admin` with nothing of the caller's AWS or Clocks setup."""
    return run_admin
