"""One Lambda execution environment: a fresh interpreter that imports one handler.

Run as `python -s -S -B -P lambda_process.py PLAN RESULT` with PYTHONPATH naming the
function's code, the layer and the runtime's own packages, as Lambda lays them out.
This file imports only the standard library before the handler does, so the
interpreter holds what the function itself needs and nothing more; -B keeps it
from writing bytecode, as on Lambda's read-only /opt and /var/task.

PLAN (JSON) is either

- {"mode": "floor"}: import boto3 and create a DynamoDB client, nothing else; or
- {"mode": "invoke", "handler": "app.handler", "requests": [...]}: import the
  handler and answer each request in turn. A request holds the API Gateway
  event, a label and the items to write before it (untimed, with a client of
  its own), and may ask to send the previous answer's ETag as If-None-Match.
  With "capacity" true every DynamoDB request asks for its consumed capacity.

RESULT (JSON) receives the monotonic clock once this script's own imports are
done, after the handler's import and after the first answer, and for each
request its answer, its time, each DynamoDB call it made and how often the
calendar feed was rendered.
"""

import base64
import json
import math
import re
import sys
import time
import traceback
from pathlib import Path
from types import SimpleNamespace
from typing import Any

# Operations that accept ReturnConsumedCapacity.
CAPACITY_OPERATIONS = {
    "GetItem",
    "PutItem",
    "UpdateItem",
    "DeleteItem",
    "Query",
    "Scan",
    "BatchGetItem",
    "BatchWriteItem",
    "TransactGetItems",
    "TransactWriteItems",
}
FEED_UID = re.compile(r"^UID:(.+)@clocks\r?$", re.MULTILINE)


def attribute_size(value: dict[str, Any]) -> int:
    """Bytes DynamoDB counts for one attribute value (its documented sizing rules)."""
    (kind, content), *_ = value.items()
    if kind == "S":
        return len(content.encode("utf-8"))
    if kind == "N":
        digits = content.lstrip("-").replace(".", "").strip("0") or "0"
        return math.ceil(len(digits) / 2) + 1
    if kind == "B":
        return len(base64.b64decode(content)) if isinstance(content, str) else 0
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "M":
        return 3 + sum(
            len(name.encode("utf-8")) + attribute_size(inner) + 1
            for name, inner in content.items()
        )
    if kind == "L":
        return 3 + sum(attribute_size(inner) + 1 for inner in content)
    return sum(len(str(part).encode("utf-8")) for part in content)


def item_size(item: dict[str, Any]) -> int:
    """Bytes of an item in DynamoDB's wire form, as read capacity is charged."""
    return sum(
        len(name.encode("utf-8")) + attribute_size(value)
        for name, value in item.items()
    )


def capacity_units(consumed: Any) -> float:
    if isinstance(consumed, list):
        return sum(part.get("CapacityUnits", 0.0) for part in consumed)
    return (consumed or {}).get("CapacityUnits", 0.0)


class Watch:
    """Records every DynamoDB call of the function's clients, one request at a time."""

    def __init__(self, capacity: bool) -> None:
        self.capacity = capacity
        self.calls: list[dict[str, Any]] = []
        self.read_items: dict[str, int] = {}
        self.read_bytes = 0

    def reset(self) -> None:
        self.calls = []
        self.read_items = {}
        self.read_bytes = 0

    def prepare(
        self, params: dict[str, Any], model: Any, context: dict[str, Any], **_: Any
    ) -> None:
        context["bench_consistent"] = bool(params.get("ConsistentRead"))
        if self.capacity and model.name in CAPACITY_OPERATIONS:
            params.setdefault("ReturnConsumedCapacity", "TOTAL")

    def before(self, context: dict[str, Any], **_: Any) -> None:
        context["bench_started"] = time.perf_counter()

    def after(
        self, parsed: dict[str, Any], model: Any, context: dict[str, Any], **_: Any
    ) -> None:
        elapsed = time.perf_counter() - context.get(
            "bench_started", time.perf_counter()
        )
        items = parsed.get("Items") or []
        for item in items:
            size = item_size(item)
            self.read_bytes += size
            if "id" in item:
                self.read_items[item["id"]["S"]] = size
        self.calls.append(
            {
                "operation": model.name,
                "ms": elapsed * 1000,
                "capacity": capacity_units(parsed.get("ConsumedCapacity")),
                "items": len(items),
                "scanned": parsed.get("ScannedCount", len(items)),
                "consistent": bool(context.get("bench_consistent")),
                "error": parsed.get("Error", {}).get("Code"),
            }
        )


class Renders:
    """Counts and times calls of clocks.feed.render_feed, wherever it was imported."""

    def __init__(self) -> None:
        self.count = 0
        self.ms = 0.0

    def install(self, module: Any) -> None:
        feed = sys.modules.get("clocks.feed")
        if feed is None:
            return
        original = feed.render_feed

        def render_feed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.count += 1
                self.ms += (time.perf_counter() - started) * 1000

        feed.render_feed = render_feed
        for name, value in list(vars(module).items()):
            if value is original:
                setattr(module, name, render_feed)


def context_of(function: str) -> SimpleNamespace:
    return SimpleNamespace(
        function_name=function,
        function_version="$LATEST",
        memory_limit_in_mb=512,
        invoked_function_arn=(
            f"arn:aws:lambda:eu-central-1:123456789012:function:{function}"
        ),
        aws_request_id=f"{function}-bench",
        log_group_name=f"/aws/lambda/{function}",
        log_stream_name="bench",
        get_remaining_time_in_millis=lambda: 10_000,
    )


def answered_ids(body: str, content_type: str) -> tuple[int, set[str] | None]:
    """How many entries the answer holds and, where it names them, their ids."""
    if content_type.startswith("text/calendar"):
        ids = set(FEED_UID.findall(body))
        return len(ids), ids
    try:
        answer = json.loads(body) if body else None
    except ValueError:
        return 0, None
    if isinstance(answer, list):
        ids = {entry["id"] for entry in answer if isinstance(entry, dict)}
        return len(answer), ids
    if isinstance(answer, dict) and isinstance(answer.get("entries"), list):
        return len(answer["entries"]), {entry["id"] for entry in answer["entries"]}
    if isinstance(answer, dict) and isinstance(answer.get("customers"), list):
        # A summary names no entries; every entry of the period is needed for it.
        return sum(row.get("entry_count", 0) for row in answer["customers"]), None
    return 0, None


def seed(client: Any, writes: list[dict[str, Any]]) -> None:
    """Write a request's items before it runs, following unprocessed items."""
    by_table: dict[str, list[dict[str, Any]]] = {}
    for write in writes:
        by_table.setdefault(write["table"], []).append(write["request"])
    for table, requests in by_table.items():
        for first in range(0, len(requests), 25):
            pending = {table: requests[first : first + 25]}
            while pending:
                answer = client.batch_write_item(RequestItems=pending)
                pending = answer.get("UnprocessedItems") or {}


def invoke(plan: dict[str, Any], result: dict[str, Any]) -> None:
    module_name, _, attribute = plan["handler"].rpartition(".")
    # __import__ takes the interpreter's own import path, which -X importtime traces;
    # importlib.import_module would leave the handler module out of the trace.
    __import__(module_name)
    module = sys.modules[module_name]
    handler = getattr(module, attribute)
    result["imported_ns"] = time.monotonic_ns()

    import boto3

    # The function's clients come from the default session; hooks registered on it
    # now are copied into every client it creates. Seeding uses another session.
    boto3.setup_default_session()
    watch = Watch(plan.get("capacity", False))
    events = boto3.DEFAULT_SESSION.events
    events.register("provide-client-params.dynamodb", watch.prepare)
    events.register("before-call.dynamodb", watch.before)
    events.register("after-call.dynamodb", watch.after)
    renders = Renders()
    renders.install(module)
    seeder = None
    context = context_of(plan["function"])

    answers = []
    for request in plan["requests"]:
        if request.get("seed"):
            if seeder is None:
                seeder = boto3.session.Session().client("dynamodb")
            seed(seeder, request["seed"])
        event = request["event"]
        if request.get("if_none_match_previous") and answers:
            headers = {**event["headers"], "if-none-match": answers[-1]["etag"]}
            event = {**event, "headers": headers}
        watch.reset()
        renders.count, renders.ms = 0, 0.0
        started = time.perf_counter()
        response = handler(event, context)
        elapsed = time.perf_counter() - started
        if "answered_ns" not in result:
            result["answered_ns"] = time.monotonic_ns()
        body = str(response.get("body") or "")
        headers = response.get("headers") or {}
        content_type = headers.get("Content-Type", "")
        count, ids = answered_ids(body, content_type)
        needed = (
            sum(watch.read_items.values())
            if ids is None
            else sum(size for key, size in watch.read_items.items() if key in ids)
        )
        answers.append(
            {
                "label": request["label"],
                "status": response.get("statusCode"),
                "authorized": response.get("isAuthorized"),
                "ms": elapsed * 1000,
                "body_bytes": len(body.encode("utf-8")),
                "etag": headers.get("ETag"),
                "answer_items": count,
                "needed_bytes": needed,
                "read_bytes": watch.read_bytes,
                "calls": watch.calls,
                "renders": renders.count,
                "render_ms": renders.ms,
            }
        )
    result["answers"] = answers


def floor(result: dict[str, Any]) -> None:
    import boto3

    result["imported_ns"] = time.monotonic_ns()
    boto3.client("dynamodb")
    result["answered_ns"] = time.monotonic_ns()


def main(plan_path: str, result_path: str) -> None:
    plan = json.loads(Path(plan_path).read_text(encoding="utf-8"))
    result: dict[str, Any] = {"started_ns": time.monotonic_ns()}
    try:
        if plan["mode"] == "floor":
            floor(result)
        else:
            invoke(plan, result)
    except Exception:
        result["error"] = traceback.format_exc()
    Path(result_path).write_text(json.dumps(result), encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:])
