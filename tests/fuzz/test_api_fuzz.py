"""Schemathesis against the local server: no 5xx, and every answer as documented.

It reads the committed openapi.json, the document clients get, and sends every
request to the session's server on 127.0.0.1 with CLOCKS_DEV_TOKEN as the Bearer
token (the coverage phase also tries requests without it).
"""

from typing import Any

import pytest
import schemathesis

from tests.e2e.conftest import DEV_TOKEN, ROOT

pytestmark = pytest.mark.e2e

DOCUMENT = ROOT / "openapi.json"
# Fixed, so that every run sends the same requests.
SEED = 20260420
# Per operation; the whole run stays under a minute on two cores.
MAX_EXAMPLES = 150
UNEXPECTED_METHODS = ["get", "put", "post", "delete", "options", "patch", "trace"]


def fuzz_config() -> dict[str, Any]:
    """Bounded and repeatable; the base URL comes with each call."""
    return {
        "seed": SEED,
        "headers": {"Authorization": f"Bearer {DEV_TOKEN}"},
        "request-timeout": 30,
        "generation": {
            "mode": "all",
            "max-examples": MAX_EXAMPLES,
            "deterministic": True,
            "database": "none",
        },
        "phases": {
            "stateful": {"enabled": False},
            "coverage": {"unexpected-methods": UNEXPECTED_METHODS},
        },
        "checks": {
            "enabled": False,
            "not_a_server_error": {"enabled": True},
            "status_code_conformance": {"enabled": True},
            "response_schema_conformance": {"enabled": True},
        },
    }


# Loaded at collection: schemathesis' fixture-based loading does not run on pytest 9.
schema = schemathesis.openapi.from_path(
    DOCUMENT, config=schemathesis.Config.from_dict(fuzz_config())
)


@schema.parametrize()
def test_api_answers_as_documented_and_never_with_a_server_error(case, server):
    case.call_and_validate(base_url=server.base_url)
