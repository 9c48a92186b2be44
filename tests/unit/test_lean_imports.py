"""Functions import only what they use: every module costs each cold start."""

import json
import os
import subprocess
import sys

import pytest

from tools.template import ROOT

# These read no request body, so they have no use for pydantic's request models.
BODILESS = [
    "list_entries",
    "get_active_timer",
    "stop_timer",
    "delete_entry",
    "get_summary",
    "invoice_preview",
    "calendar_feed",
    "authorize",
]
PROBE = """
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("app", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
heavy = ("pydantic", "icalendar")
print(json.dumps([name for name in heavy if name in sys.modules]))
"""


def heavy_imports_of(function: str) -> list[str]:
    environment = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "layers" / "clocks"),
        "TABLE_NAME": "entries",
        "AWS_DEFAULT_REGION": "eu-central-1",
    }
    answer = subprocess.run(
        [sys.executable, "-c", PROBE, str(ROOT / "functions" / function / "app.py")],
        capture_output=True,
        text=True,
        env=environment,
        check=True,
    )
    return json.loads(answer.stdout)


@pytest.mark.parametrize("function", BODILESS)
def test_a_function_that_reads_no_body_does_not_import_pydantic(function):
    assert "pydantic" not in heavy_imports_of(function)


@pytest.mark.parametrize(
    "function", [name for name in BODILESS if name != "calendar_feed"]
)
def test_only_the_feed_imports_icalendar(function):
    assert "icalendar" not in heavy_imports_of(function)
