"""The five measurements: cold starts, warm requests, read cost, the feed, the layer."""

import io
import random
import statistics
import time
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.dataset import (
    entry_items,
    event_for,
    history,
    load_items,
    put_requests,
    read_event,
    sample_entries,
    sample_timer,
    timer_item,
    token_item,
)
from bench.environment import Function, Outcome, Sandbox, database_client
from clocks.tokens import bearer_secret

# The tables with the template resource each copies; one per measurement, so that
# each sees only its own items.
TOKENS_TABLE = "BenchTokens"
SAMPLE_TABLE = "BenchSamples"
SCALE_TABLE = "BenchScale"
FEED_TABLE = "BenchFeed"
TABLES = {
    SAMPLE_TABLE: "EntriesTable",
    SCALE_TABLE: "EntriesTable",
    FEED_TABLE: "EntriesTable",
    TOKENS_TABLE: "TokensTable",
}
COLD_ROUNDS = 10
WARM_UPS = 5
WARM_REQUESTS = 30
SCALES = (1_000, 10_000, 100_000)
SCALE_OWNERS = 10
READER = "owner-00"
FEED_ENTRIES = 2_000
FEED_POLLS = 3
LOAD_THREADS = 3
# Read capacity: 4 KB per unit, half a unit when eventually consistent.
READ_UNIT_BYTES = 4096
WRITE_OPERATIONS = {
    "PutItem",
    "UpdateItem",
    "DeleteItem",
    "BatchWriteItem",
    "TransactWriteItems",
}


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the values lie (linear interpolation)."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = share * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def read_units(size: int, consistent: bool) -> float:
    """The least read capacity a read of `size` bytes can cost."""
    units = -(-size // READ_UNIT_BYTES) if size else 0
    return float(units) if consistent else units / 2


def tables_of(function: Function, entries_table: str) -> dict[str, str]:
    return function.environment(
        {"EntriesTable": entries_table, "TokensTable": TOKENS_TABLE}
    )


def seed_tokens(endpoint_url: str, now: datetime) -> None:
    """The api and feed tokens whose secrets the sample events send."""
    api = bearer_secret(read_event("authorize")["headers"]["authorization"])
    feed = read_event("calendar_feed_url")["queryStringParameters"]["token"]
    owner = read_event("calendar_feed")["requestContext"]["authorizer"]["lambda"][
        "owner"
    ]
    items = [
        token_item(owner, api, "api", now),
        token_item(owner, feed, "feed", now),
    ]
    load_items([database_client(endpoint_url)], TOKENS_TABLE, items)


def sample_items(function: Function, owner: str, now: datetime) -> list[dict[str, Any]]:
    """What `owner` holds before the function answers its sample event."""
    items = entry_items(sample_entries(owner, now))
    if function.code == "stop_timer":
        items.append(timer_item(sample_timer(owner, now)))
    return items


# --- 1. Cold starts ---------------------------------------------------------


@dataclass
class ColdStart:
    """Fresh-process runs of one function (or of the floor)."""

    name: str
    runs: list[Outcome] = field(default_factory=list)

    def _values(self, attribute: str) -> list[float]:
        return [getattr(run, attribute) for run in self.runs]

    @property
    def totals(self) -> list[float]:
        return self._values("total_ms")

    @property
    def median(self) -> float:
        return statistics.median(self.totals)

    def median_of(self, attribute: str) -> float:
        return statistics.median(self._values(attribute))

    @property
    def database_ms(self) -> float:
        """Median time spent waiting on DynamoDB during the first answer."""
        return statistics.median(
            sum(call["ms"] for call in run.result["answers"][0]["calls"])
            if run.result.get("answers")
            else 0.0
            for run in self.runs
        )

    @property
    def statuses(self) -> list[Any]:
        found = []
        for run in self.runs:
            for answer in run.result.get("answers", []):
                found.append(answer["status"] or answer["authorized"])
        return sorted(set(found), key=str)


@dataclass
class ColdStarts:
    floor: ColdStart
    functions: list[ColdStart]
    # The slowest function again, in rounds of its own: the floor, the layer as
    # built and the layer with bytecode, so that all three share the same moments.
    bytecode: list[ColdStart] = field(default_factory=list)
    slowest_import: str = ""


def _cold_plan(function: Function, owner: str) -> dict[str, Any]:
    return {
        "mode": "invoke",
        "handler": function.handler,
        "requests": [{"label": "cold", "event": event_for(function.code, owner)}],
    }


@dataclass(frozen=True)
class Variant:
    """One way of starting a process: the floor, or a function on some layer."""

    start: ColdStart
    function: Function | None = None
    layer: Path | None = None


def _cold_run(
    sandbox: Sandbox,
    variant: Variant,
    function_dirs: dict[str, Path],
    owner: str,
    now: datetime,
    flags: tuple[str, ...] = (),
) -> Outcome:
    function = variant.function
    if function is None or variant.layer is None:
        return sandbox.run({"mode": "floor"}, [sandbox.runtime])
    load_items([sandbox.database], SAMPLE_TABLE, sample_items(function, owner, now))
    return sandbox.run(
        _cold_plan(function, owner),
        [function_dirs[function.name], variant.layer, sandbox.runtime],
        function.name,
        tables_of(function, SAMPLE_TABLE),
        flags,
    )


def _shuffled_rounds(
    sandbox: Sandbox,
    variants: list[Variant],
    function_dirs: dict[str, Path],
    now: datetime,
    rounds: int,
    prefix: str,
) -> None:
    """Every variant once per round, in a new order each round."""
    order = random.Random(20260420)
    for number in range(rounds):
        shuffled = list(variants)
        order.shuffle(shuffled)
        for index, variant in enumerate(shuffled):
            owner = f"{prefix}-{number}-{index}"
            outcome = _cold_run(sandbox, variant, function_dirs, owner, now)
            variant.start.runs.append(outcome)


def measure_cold_starts(
    sandbox: Sandbox,
    functions: list[Function],
    function_dirs: dict[str, Path],
    layer: Path,
    compiled_layer: Path,
    now: datetime,
    rounds: int = COLD_ROUNDS,
) -> ColdStarts:
    """Each function and the floor in fresh interpreters, in shuffled rounds.

    A first round warms the disk cache and DynamoDB Local and is not counted.
    Then the slowest function runs again beside the floor, with the layer as
    built and with bytecode, to tell compiling apart from importing.
    """
    floor = Variant(ColdStart("floor: import boto3, create the DynamoDB client"))
    variants = [floor] + [
        Variant(ColdStart(function.name), function, layer) for function in functions
    ]
    for index, variant in enumerate(variants):
        _cold_run(sandbox, variant, function_dirs, f"uncounted-{index}", now)
    _shuffled_rounds(sandbox, variants, function_dirs, now, rounds, "cold")
    measured = ColdStarts(floor.start, [variant.start for variant in variants[1:]])

    slowest = max(variants[1:], key=lambda variant: variant.start.median)
    assert slowest.function is not None
    name = slowest.function.name
    paired = [
        Variant(ColdStart("floor: import boto3, create the DynamoDB client")),
        Variant(ColdStart(f"{name}, layer as built"), slowest.function, layer),
        Variant(
            ColdStart(f"{name}, layer with bytecode"),
            slowest.function,
            compiled_layer,
        ),
    ]
    _shuffled_rounds(sandbox, paired, function_dirs, now, rounds, "paired")
    measured.bytecode = [variant.start for variant in paired]

    traced = _cold_run(
        sandbox,
        slowest,
        function_dirs,
        "traced",
        now,
        flags=("-X", "importtime"),
    )
    measured.slowest_import = traced.stderr
    return measured


@dataclass(frozen=True)
class ImportCost:
    name: str
    self_ms: float
    cumulative_ms: float
    # 0 for the handler module, 1 for what it imports itself, and so on.
    depth: int = 0


def import_costs(trace: str, module: str = "app") -> tuple[list[ImportCost], float]:
    """The modules that importing `module` loaded, from a -X importtime trace.

    The trace lists a module after everything it imported, indented by depth, so
    the handler's imports are the indented lines just before its own line.
    """
    lines: list[tuple[int, ImportCost]] = []
    for line in trace.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, cumulative, name = line.removeprefix("import time:").split("|")
        depth = (len(name) - len(name.lstrip()) - 1) // 2
        cost = ImportCost(name.strip(), int(own) / 1000, int(cumulative) / 1000, depth)
        lines.append((depth, cost))
    for index, (depth, cost) in enumerate(lines):
        if depth == 0 and cost.name == module:
            first = index
            while first > 0 and lines[first - 1][0] > 0:
                first -= 1
            return [cost for _, cost in lines[first : index + 1]], cost.cumulative_ms
    return [], 0.0


def by_package(modules: list[ImportCost]) -> list[tuple[str, float]]:
    """Self time summed per top-level package, the costliest first."""
    totals: Counter[str] = Counter()
    for module in modules:
        totals[module.name.partition(".")[0]] += module.self_ms
    return totals.most_common()


# --- 2. Warm requests -------------------------------------------------------


@dataclass
class WarmRequests:
    function: str
    answers: list[dict[str, Any]]

    @property
    def times(self) -> list[float]:
        return [answer["ms"] for answer in self.answers]

    @property
    def database_ms(self) -> float:
        return statistics.median(
            sum(call["ms"] for call in answer["calls"]) for answer in self.answers
        )

    @property
    def calls(self) -> float:
        return statistics.median(len(answer["calls"]) for answer in self.answers)

    @property
    def operations(self) -> str:
        counted = Counter(call["operation"] for call in self.answers[-1]["calls"])
        return ", ".join(f"{name} x{number}" for name, number in counted.items())

    def _capacity(self, writes: bool) -> float:
        return statistics.median(
            sum(
                call["capacity"]
                for call in answer["calls"]
                if (call["operation"] in WRITE_OPERATIONS) == writes
            )
            for answer in self.answers
        )

    @property
    def read_capacity(self) -> float:
        return self._capacity(writes=False)

    @property
    def write_capacity(self) -> float:
        return self._capacity(writes=True)

    @property
    def statuses(self) -> list[Any]:
        found = {answer["status"] or answer["authorized"] for answer in self.answers}
        return sorted(found, key=str)


def measure_warm_requests(
    sandbox: Sandbox,
    functions: list[Function],
    function_dirs: dict[str, Path],
    layer: Path,
    now: datetime,
) -> list[WarmRequests]:
    """Per function: warm-ups, then timed requests, each on a freshly seeded owner."""
    measured = []
    for function in functions:
        requests = []
        for number in range(WARM_UPS + WARM_REQUESTS):
            owner = f"warm-{function.code.replace('_', '-')}-{number}"
            requests.append(
                {
                    "label": "warm-up" if number < WARM_UPS else "warm",
                    "event": event_for(function.code, owner),
                    "seed": put_requests(
                        SAMPLE_TABLE, sample_items(function, owner, now)
                    ),
                }
            )
        outcome = sandbox.run(
            {
                "mode": "invoke",
                "handler": function.handler,
                "capacity": True,
                "requests": requests,
            },
            [function_dirs[function.name], layer, sandbox.runtime],
            function.name,
            tables_of(function, SAMPLE_TABLE),
        )
        answers = [
            answer for answer in outcome.result["answers"] if answer["label"] == "warm"
        ]
        measured.append(WarmRequests(function.name, answers))
    return measured


# --- 3. Read cost against table size ----------------------------------------


@dataclass(frozen=True)
class ReadCost:
    scale: int
    request: str
    answer: dict[str, Any]

    @property
    def query_capacity(self) -> float:
        return sum(
            call["capacity"]
            for call in self.answer["calls"]
            if call["operation"] == "Query"
        )

    @property
    def other_capacity(self) -> float:
        return sum(
            call["capacity"]
            for call in self.answer["calls"]
            if call["operation"] != "Query"
        )

    @property
    def requests(self) -> int:
        return len(self.answer["calls"])

    @property
    def items_read(self) -> int:
        return sum(
            call["items"]
            for call in self.answer["calls"]
            if call["operation"] == "Query"
        )

    @property
    def least_eventual(self) -> float:
        return read_units(self.answer["needed_bytes"], consistent=False)

    @property
    def least_strong(self) -> float:
        return read_units(self.answer["needed_bytes"], consistent=True)


# Each read, as (function code, label, query).
READS = (
    ("list_entries", "list: last month", {"period": "last_month"}),
    (
        "list_entries",
        "list: last month, one customer",
        {"period": "last_month", "customer": "Acme Corp"},
    ),
    ("get_summary", "summary: last month", {"period": "last_month"}),
    ("invoice_preview", "invoice preview: one customer", {"customer": "Acme Corp"}),
    (
        "invoice_preview",
        "invoice preview: customer and contract",
        {"customer": "Acme Corp", "contract": "Retainer"},
    ),
    ("calendar_feed", "feed: last 12 months", {}),
)


@dataclass
class ScaleLoad:
    entries: int
    seconds: float


def measure_read_costs(
    sandbox: Sandbox,
    functions: list[Function],
    function_dirs: dict[str, Path],
    layer: Path,
    now: datetime,
    scales: tuple[int, ...] = SCALES,
) -> tuple[list[ReadCost], list[ScaleLoad]]:
    """Load the table in steps and read the same owner's answers at each size."""
    by_code = {function.code: function for function in functions}
    owners = [f"owner-{number:02d}" for number in range(SCALE_OWNERS)]
    histories = {
        owner: history(owner, max(scales) // SCALE_OWNERS, now.date())
        for owner in owners
    }
    clients = [database_client(sandbox.endpoint_url) for _ in range(LOAD_THREADS)]
    costs: list[ReadCost] = []
    loads: list[ScaleLoad] = []
    stored = 0
    for scale in scales:
        per_owner = scale // SCALE_OWNERS
        items = [
            item
            for owner in owners
            for item in entry_items(
                histories[owner][stored // SCALE_OWNERS : per_owner]
            )
        ]
        started = time.perf_counter()
        load_items(clients, SCALE_TABLE, items)
        loads.append(ScaleLoad(scale, time.perf_counter() - started))
        stored = scale
        for code in dict.fromkeys(code for code, _, _ in READS):
            function = by_code[code]
            requests = []
            for read_code, label, query in READS:
                if read_code != code:
                    continue
                event = event_for(code, READER, query)
                # The first answer of a process pays for its imports and clients.
                requests.append({"label": "warm-up", "event": event})
                requests.append({"label": label, "event": event})
            outcome = sandbox.run(
                {
                    "mode": "invoke",
                    "handler": function.handler,
                    "capacity": True,
                    "requests": requests,
                },
                [function_dirs[function.name], layer, sandbox.runtime],
                function.name,
                tables_of(function, SCALE_TABLE),
            )
            for answer in outcome.result["answers"]:
                if answer["label"] != "warm-up":
                    costs.append(ReadCost(scale, answer["label"], answer))
    return costs, loads


# --- 4. The calendar feed of a year ----------------------------------------


@dataclass
class FeedPolls:
    entries: int
    full: list[dict[str, Any]]
    conditional: list[dict[str, Any]]


def measure_feed(
    sandbox: Sandbox,
    functions: list[Function],
    function_dirs: dict[str, Path],
    layer: Path,
    now: datetime,
) -> FeedPolls:
    """A year of entries: full answers, then polls that send the ETag back."""
    function = next(item for item in functions if item.code == "calendar_feed")
    owner = "feed-owner"
    entries = history(owner, FEED_ENTRIES, now.date(), per_day=8)
    load_items(
        [database_client(sandbox.endpoint_url) for _ in range(LOAD_THREADS)],
        FEED_TABLE,
        entry_items(entries),
    )
    event = event_for("calendar_feed", owner, {})
    requests = [{"label": "warm-up", "event": event}]
    requests += [{"label": "full", "event": event} for _ in range(FEED_POLLS)]
    requests += [
        {"label": "conditional", "event": event, "if_none_match_previous": True}
        for _ in range(FEED_POLLS)
    ]
    outcome = sandbox.run(
        {
            "mode": "invoke",
            "handler": function.handler,
            "capacity": True,
            "requests": requests,
        },
        [function_dirs[function.name], layer, sandbox.runtime],
        function.name,
        tables_of(function, FEED_TABLE),
    )
    answers = outcome.result["answers"]
    return FeedPolls(
        entries=len(entries),
        full=[answer for answer in answers if answer["label"] == "full"],
        conditional=[answer for answer in answers if answer["label"] == "conditional"],
    )


# --- 5. The layer -----------------------------------------------------------


@dataclass(frozen=True)
class LayerSize:
    zipped: int
    unpacked: int
    parts: list[tuple[str, int, int]]


def layer_size(layer_dir: Path) -> LayerSize:
    """The layer zipped as it is uploaded, and its largest top-level parts."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
        for path in sorted(layer_dir.rglob("*")):
            if path.is_file():
                bundle.write(path, path.relative_to(layer_dir))
    zipped: Counter[str] = Counter()
    unpacked: Counter[str] = Counter()
    with zipfile.ZipFile(archive) as bundle:
        for info in bundle.infolist():
            parts = Path(info.filename).parts
            top = parts[1] if len(parts) > 2 else parts[-1]
            top = top.split("-")[0] if top.endswith(".dist-info") else top
            zipped[top] += info.compress_size
            unpacked[top] += info.file_size
    ranked = [(name, zipped[name], unpacked[name]) for name, _ in zipped.most_common()]
    return LayerSize(len(archive.getvalue()), sum(unpacked.values()), ranked)
