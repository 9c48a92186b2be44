"""Answers events with built functions, importing only what Lambda would offer them.

Run as `python -I -S -B lambda_host.py PLAN RESULT`. Isolated and without site, the
interpreter sees its standard library and nothing else: neither the repository nor
a virtualenv. PLAN (JSON) names the built layer, the packages standing in for the
runtime's own boto3, the tables to create, the items to put into them and each
function with its own environment and its events. RESULT (JSON) receives every
answer and the file each module of interest was imported from.
"""

import importlib
import json
import os
import sys
import traceback
import zoneinfo
from pathlib import Path
from types import SimpleNamespace
from typing import Any

TRACED_MODULES = (
    "clocks",
    "pydantic",
    "pydantic_core",
    "aws_lambda_powertools",
    "icalendar",
    "tzdata",
    "boto3",
    "botocore",
)


def _context(function: str) -> SimpleNamespace:
    region = os.environ["AWS_DEFAULT_REGION"]
    return SimpleNamespace(
        function_name=function,
        function_version="$LATEST",
        memory_limit_in_mb=512,
        invoked_function_arn=(
            f"arn:aws:lambda:{region}:123456789012:function:{function}"
        ),
        aws_request_id=f"{function}-packaging",
        log_group_name=f"/aws/lambda/{function}",
        log_stream_name="packaging",
        get_remaining_time_in_millis=lambda: 10_000,
    )


def _answer(handler: Any, function: str, event: dict[str, Any]) -> dict[str, Any]:
    try:
        response = handler(event, _context(function))
    except Exception:
        return {"error": traceback.format_exc()}
    return {
        "status": response.get("statusCode"),
        "body": str(response.get("body", ""))[:500],
        # What a Lambda authorizer answers instead of an HTTP response.
        "isAuthorized": response.get("isAuthorized"),
        "context": response.get("context"),
    }


def _forget_modules(package: str) -> None:
    for name in [name for name in sys.modules if name.partition(".")[0] == package]:
        del sys.modules[name]


def _serve(function: dict[str, Any]) -> dict[str, Any]:
    module_name, _, attribute = function["handler"].rpartition(".")
    # Every function is a Lambda of its own: its code alone is at the front of the
    # path, its environment is its own, and its handler module and the domain
    # package (which reads the environment once) are imported afresh, as on a
    # cold start.
    saved = dict(os.environ)
    os.environ.update(function["environment"])
    sys.path.insert(0, function["code"])
    sys.modules.pop(module_name, None)
    _forget_modules("clocks")
    try:
        try:
            module = importlib.import_module(module_name)
            handler = getattr(module, attribute)
        except Exception:
            return {"import_error": traceback.format_exc()}
        finally:
            sys.path.remove(function["code"])
        return {
            "module": module.__file__,
            "answers": {
                name: _answer(handler, function["name"], event)
                for name, event in function["events"].items()
            },
        }
    finally:
        os.environ.clear()
        os.environ.update(saved)


def main(plan_path: str, result_path: str) -> None:
    plan = json.loads(Path(plan_path).read_text(encoding="utf-8"))
    # Lambda's order: the function's code (added per function), the layer, the
    # standard library, then the runtime's own packages such as boto3.
    sys.path.insert(0, plan["layer"])
    sys.path.extend(plan["runtime_packages"])
    # Zones have to come from the layer's tzdata: nothing promises a zone database
    # on the Lambda host.
    zoneinfo.reset_tzpath([])

    import boto3
    from moto import mock_aws

    with mock_aws():
        client = boto3.client("dynamodb")
        for table in plan["tables"]:
            client.create_table(**table)
        for item in plan["items"]:
            client.put_item(**item)
        functions = {
            function["name"]: _serve(function) for function in plan["functions"]
        }
    modules = {
        name: getattr(sys.modules.get(name), "__file__", None)
        for name in TRACED_MODULES
    }
    result = {"functions": functions, "modules": modules, "path": sys.path}
    Path(result_path).write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:])
