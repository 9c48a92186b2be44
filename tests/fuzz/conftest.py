"""The local server for the fuzz and bad-input tests, started as tests/e2e starts it.

One server runs for the whole session on 127.0.0.1 with a fresh data folder and
CLOCKS_DEV_TOKEN set; the `api` client sends that token.
"""

from collections.abc import Iterator

import pytest

from tests.e2e.conftest import Api, LocalServer


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalServer]:
    data_dir = tmp_path_factory.mktemp("clocks-data")
    log_path = tmp_path_factory.mktemp("server-log") / "local_api.log"
    started = LocalServer(data_dir, log_path)
    yield started
    started.stop()


@pytest.fixture(scope="session")
def api(server: LocalServer) -> Api:
    return server.api
