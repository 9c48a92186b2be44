"""The measurements as Markdown: a verdict per target, then a table for each."""

import re
import statistics
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bench.scenarios import (
    ColdStart,
    ColdStarts,
    FeedPolls,
    ImportCost,
    LayerSize,
    ReadCost,
    ScaleLoad,
    WarmRequests,
    by_package,
    percentile,
)

COLD_TARGET = 1.2
LAYER_TARGET_BYTES = 5_000_000
MEBIBYTE = 1024 * 1024


@dataclass(frozen=True)
class Machine:
    architecture: str
    cores: int
    python: str
    date: str
    revision: str
    differs_from_head: bool
    load_before: str
    load_after: str
    seconds: float


@dataclass(frozen=True)
class Results:
    machine: Machine
    cold: ColdStarts
    trace: list[ImportCost]
    trace_total_ms: float
    warm: list[WarmRequests]
    reads: list[ReadCost]
    loads: list[ScaleLoad]
    feed: FeedPolls
    layer: LayerSize


NUMERIC = re.compile(r"[\d,.]+(?: ?[/x%] ?[\d,.]*)?|-|[\d,]+-[\d,]+")


def table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[str]:
    """A Markdown table; columns of numbers are right-aligned."""
    cells = [
        [
            f"{cell:,.1f}"
            if isinstance(cell, float)
            else f"{cell:,}"
            if isinstance(cell, int)
            else str(cell)
            for cell in row
        ]
        for row in rows
    ]
    align = [
        "---:"
        if cells and all(NUMERIC.fullmatch(row[index]) for row in cells)
        else "---"
        for index in range(len(header))
    ]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in cells]
    return lines


def _ms(value: float) -> str:
    return f"{value:,.0f}"


def _spread(start: ColdStart) -> str:
    totals = start.totals
    return f"{percentile(totals, 0.1):,.0f}-{percentile(totals, 0.9):,.0f}"


def _ratio(value: float, floor: float) -> str:
    return f"{value / floor:.2f}x"


def _verdicts(results: Results) -> list[str]:
    cold = results.cold
    floor = cold.floor.median
    slowest = max(cold.functions, key=lambda start: start.median)
    fastest = min(cold.functions, key=lambda start: start.median)
    within = [start for start in cold.functions if start.median <= COLD_TARGET * floor]
    cold_verdict = (
        "holds"
        if len(within) == len(cold.functions)
        else f"**missed** by {len(cold.functions) - len(within)} of "
        f"{len(cold.functions)} functions"
    )
    full = statistics.median(answer["ms"] for answer in results.feed.full)
    conditional = results.feed.conditional
    renders = sum(answer["renders"] for answer in conditional)
    statuses = sorted({answer["status"] for answer in conditional})
    feed_verdict = "holds" if renders == 0 else "**missed**"
    layer = results.layer.zipped
    layer_verdict = "holds" if layer < LAYER_TARGET_BYTES else "**missed**"
    growth = _read_growth(results.reads)
    reads_verdict = "holds" if all(flat for _, _, flat in growth) else "**missed**"
    sizes = " / ".join(
        f"{scale:,}" for scale in dict.fromkeys(read.scale for read in results.reads)
    )
    return [
        "| target | measured | verdict |",
        "|---|---|---|",
        f"| cold start within {COLD_TARGET}x of the floor ({_ms(floor)} ms) | "
        f"{fastest.name} {_ratio(fastest.median, floor)} to {slowest.name} "
        f"{_ratio(slowest.median, floor)} ({_ms(slowest.median)} ms, "
        f"{_ms(slowest.median - COLD_TARGET * floor)} ms over){_with_bytecode(cold)} "
        f"| {cold_verdict} |",
        f"| a matching ETag costs no rendering | {len(conditional)} polls with "
        f"If-None-Match answered {', '.join(map(str, statuses))} after {renders} "
        f"renders; {_ms(statistics.median(a['ms'] for a in conditional))} ms "
        f"against {_ms(full)} ms for the full feed | {feed_verdict} |",
        f"| layer under 5 MB zipped | {layer / 1e6:.2f} MB ({layer / MEBIBYTE:.2f} "
        f"MiB) zipped, {results.layer.unpacked / 1e6:.1f} MB unpacked | "
        f"{layer_verdict} |",
        "| read cost grows with the answer, not the table | query RCU ÷ least RCU "
        f"for the answer at {sizes}: "
        + "; ".join(
            f"{' / '.join(f'{ratio:.2f}' for ratio in ratios)} for {', '.join(names)}"
            for ratios, names in _grouped(growth).items()
        )
        + f" | {reads_verdict} |",
    ]


def _with_bytecode(cold: ColdStarts) -> str:
    if not cold.bytecode:
        return ""
    floor, as_built, with_bytecode = (start.median for start in cold.bytecode)
    return (
        f"; in rounds of its own the slowest is {_ratio(as_built, floor)} as built "
        f"and {_ratio(with_bytecode, floor)} with bytecode in the layer"
    )


def _grouped(
    growth: list[tuple[str, tuple[float, ...], bool]],
) -> dict[tuple[float, ...], list[str]]:
    groups: dict[tuple[float, ...], list[str]] = {}
    for request, ratios, _ in growth:
        groups.setdefault(tuple(round(ratio, 2) for ratio in ratios), []).append(
            request
        )
    return groups


def _read_growth(
    reads: list[ReadCost],
) -> list[tuple[str, tuple[float, ...], bool]]:
    """Per request: query RCU per least RCU at each table size, and whether flat."""
    found = []
    for request in dict.fromkeys(read.request for read in reads):
        measured = [read for read in reads if read.request == request]
        ratios = [
            read.query_capacity / read.least_eventual
            for read in measured
            if read.least_eventual
        ]
        if not ratios:
            continue
        # Rounding to whole 4 KB units allows a little drift on small answers.
        flat = max(ratios) <= min(ratios) * 1.25 + 0.5
        found.append((request, tuple(ratios), flat))
    return found


COLD_HEADER = (
    "function",
    "median ms",
    "p10-p90 ms",
    "x floor",
    "import ms",
    "first answer ms",
    "DynamoDB ms",
    "answer",
)


def _cold_row(start: ColdStart, floor: float) -> list[Any]:
    answered = bool(start.runs and start.runs[0].result.get("answers"))
    return [
        start.name,
        _ms(start.median),
        _spread(start),
        _ratio(start.median, floor),
        _ms(start.median_of("import_ms")),
        _ms(start.median_of("first_answer_ms")),
        _ms(start.database_ms) if answered else "-",
        ", ".join(map(str, start.statuses)) or "-",
    ]


def _cold_section(results: Results) -> list[str]:
    cold = results.cold
    floor = cold.floor.median
    rows = [_cold_row(cold.floor, floor)] + [
        _cold_row(start, floor)
        for start in sorted(cold.functions, key=lambda start: start.median)
    ]
    runs = len(cold.floor.runs)
    lines = [
        "## 1. Cold starts",
        "",
        f"Fresh interpreter per run, {runs} runs each in shuffled rounds after one "
        "uncounted round; milliseconds from spawning the process to the first "
        "answer (for the floor: to the created client). *import* is the handler "
        "module's import, *first answer* the first invocation with client "
        "creation, of which *DynamoDB* is spent in calls to DynamoDB Local.",
        "",
        *table(COLD_HEADER, rows),
        "",
    ]
    slowest = max(cold.functions, key=lambda start: start.median)
    if cold.bytecode:
        again_floor, as_built, with_bytecode = cold.bytecode
        gap = as_built.median - again_floor.median
        compiling = as_built.median - with_bytecode.median
        lines += [
            f"{slowest.name} again, in {len(as_built.runs)} rounds of its own "
            "beside the floor, with the layer as built and with bytecode beside "
            "each of its modules:",
            "",
            *table(
                COLD_HEADER,
                [_cold_row(start, again_floor.median) for start in cold.bytecode],
            ),
            "",
            f"Of its {_ms(gap)} ms over the floor, {_ms(compiling)} ms "
            f"({compiling / gap:.0%}) is compiling the layer's modules: SAM ships "
            "the layer without bytecode and Lambda's /opt is read-only, so every "
            "cold start compiles them again. The other "
            f"{_ms(gap - compiling)} ms is running the imports themselves (import "
            f"{_ms(with_bytecode.median_of('import_ms'))} ms with bytecode against "
            f"the floor's {_ms(again_floor.median_of('import_ms'))} ms) and the "
            f"first answer ({_ms(with_bytecode.median_of('first_answer_ms'))} ms "
            f"against {_ms(again_floor.median_of('first_answer_ms'))} ms for the "
            f"floor's client alone, {_ms(with_bytecode.database_ms)} ms of it in "
            "DynamoDB Local).",
            "",
        ]
    if results.trace:
        packages = by_package(results.trace)[:10]
        heaviest = sorted(results.trace, key=lambda cost: -cost.self_ms)[:12]
        lines += [
            f"Imports of the slowest, {slowest.name} (`python -X importtime`, layer "
            f"without bytecode, {_ms(results.trace_total_ms)} ms in all under the "
            "tracer), self time summed per top-level package:",
            "",
            *table(
                ["package", "self ms", "share"],
                [
                    [
                        f"{name} (standard library)"
                        if name in sys.stdlib_module_names
                        else name,
                        f"{ms:,.0f}",
                        f"{ms / results.trace_total_ms:.0%}",
                    ]
                    for name, ms in packages
                ],
            ),
            "",
            "What the handler module imports itself, with everything those bring:",
            "",
            *table(
                ["module", "cumulative ms"],
                [
                    [cost.name, f"{cost.cumulative_ms:,.0f}"]
                    for cost in sorted(
                        (cost for cost in results.trace if cost.depth == 1),
                        key=lambda cost: -cost.cumulative_ms,
                    )
                ],
            ),
            "",
            "The twelve modules with the most self time:",
            "",
            *table(
                ["module", "self ms", "cumulative ms"],
                [
                    [cost.name, f"{cost.self_ms:,.1f}", f"{cost.cumulative_ms:,.0f}"]
                    for cost in heaviest
                ],
            ),
            "",
        ]
    return lines


def _warm_section(results: Results) -> list[str]:
    rows = []
    for warm in sorted(results.warm, key=lambda warm: warm.function):
        rows.append(
            [
                warm.function,
                f"{statistics.median(warm.times):,.1f}",
                f"{percentile(warm.times, 0.9):,.1f}",
                f"{warm.database_ms:,.1f}",
                f"{statistics.median(warm.times) - warm.database_ms:,.1f}",
                f"{warm.calls:g}",
                warm.operations,
                f"{warm.read_capacity:g}",
                f"{warm.write_capacity:g}",
                ", ".join(map(str, warm.statuses)),
            ]
        )
    count = len(results.warm[0].answers) if results.warm else 0
    return [
        "## 2. Warm requests",
        "",
        f"In one process per function, {count} requests after the warm-ups, each "
        "for an owner seeded with the sample event's entries (untimed). Handler "
        "time in milliseconds; *DynamoDB* is the time inside DynamoDB Local calls "
        "and *own* the rest; calls are counted with a botocore `before-call` hook "
        "and capacity is DynamoDB Local's ConsumedCapacity (TOTAL).",
        "",
        *table(
            [
                "function",
                "median ms",
                "p90 ms",
                "DynamoDB ms",
                "own ms",
                "calls",
                "operations",
                "RCU",
                "WCU",
                "answer",
            ],
            rows,
        ),
        "",
    ]


def _reads_section(results: Results) -> list[str]:
    rows = []
    for read in results.reads:
        least = read.least_eventual
        rows.append(
            [
                f"{read.scale:,}",
                read.request,
                read.answer["answer_items"],
                read.items_read,
                read.requests,
                f"{read.query_capacity:g}",
                f"{read.other_capacity:g}",
                f"{least:g} / {read.least_strong:g}",
                f"{read.query_capacity / least:.2f}" if least else "-",
                f"{read.answer['ms']:,.0f}",
            ]
        )
    loads = ", ".join(
        f"{load.entries:,} entries after {load.seconds:,.0f} s"
        for load in results.loads
    )
    return [
        "## 3. Read cost against table size",
        "",
        "Ten owners with five customers each and three entries per workday, going "
        "back in time as the table grows; entries before last month are invoiced. "
        "Every request reads `owner-00`. *least RCU* is what the returned entries "
        "cost at the least: their item sizes summed and rounded up to 4 KB, "
        "eventually / strongly consistent; *query ÷ least* compares the Query "
        "capacity with the eventually consistent least. *other RCU* is the "
        f"GetItems around the query (profile, timer). Loaded: {loads}.",
        "",
        *table(
            [
                "entries stored",
                "request",
                "answer entries",
                "items read",
                "DynamoDB requests",
                "query RCU",
                "other RCU",
                "least RCU",
                "query ÷ least",
                "handler ms",
            ],
            rows,
        ),
        "",
    ]


def _capacity(answer: dict[str, Any]) -> float:
    return sum(call["capacity"] for call in answer["calls"])


def _database_ms(answer: dict[str, Any]) -> float:
    return sum(call["ms"] for call in answer["calls"])


def _feed_section(results: Results) -> list[str]:
    rows = []
    for label, answers in (
        ("full poll", results.feed.full),
        ("poll with If-None-Match", results.feed.conditional),
    ):
        rows.append(
            [
                label,
                ", ".join(str(status) for status in {a["status"] for a in answers}),
                f"{statistics.median(a['ms'] for a in answers):,.0f}",
                f"{statistics.median(_database_ms(a) for a in answers):,.0f}",
                f"{statistics.median(a['render_ms'] for a in answers):,.0f}",
                f"{sum(a['renders'] for a in answers)} of {len(answers)}",
                f"{statistics.median(a['body_bytes'] for a in answers):,.0f}",
                f"{statistics.median(a['answer_items'] for a in answers):,.0f}",
                f"{statistics.median(_capacity(answer) for answer in answers):g}",
            ]
        )
    return [
        "## 4. The calendar feed of a year",
        "",
        f"{results.feed.entries:,} entries over the last twelve months, eight per "
        f"workday, all in the feed's window; {len(results.feed.full)} full polls, "
        "then as many sending the ETag back. Times in milliseconds: *DynamoDB* "
        "inside calls to DynamoDB Local, *render* inside clocks.feed.render_feed; "
        "*rendered* counts the calls of render_feed.",
        "",
        *table(
            [
                "request",
                "status",
                "handler ms",
                "DynamoDB ms",
                "render ms",
                "rendered",
                "body bytes",
                "events",
                "RCU",
            ],
            rows,
        ),
        "",
    ]


def _layer_section(results: Results) -> list[str]:
    layer = results.layer
    return [
        "## 5. The layer",
        "",
        f"`sam build` for x86_64: {layer.zipped:,} bytes zipped "
        f"({layer.zipped / MEBIBYTE:.2f} MiB), {layer.unpacked:,} bytes unpacked. "
        "Largest parts:",
        "",
        *table(
            ["part", "zipped bytes", "unpacked bytes"],
            [[name, zipped, unpacked] for name, zipped, unpacked in layer.parts[:8]],
        ),
        "",
    ]


def render(results: Results) -> str:
    machine = results.machine
    revision = machine.revision + (
        " (layers/, functions/ or template.yaml differ from it)"
        if machine.differs_from_head
        else ""
    )
    lines = [
        "# Clocks benchmark",
        "",
        f"{machine.date}; {machine.architecture}, {machine.cores} cores, Python "
        f"{machine.python}; commit {revision}. Load average before "
        f"{machine.load_before}, after {machine.load_after}. `make bench` ran "
        f"{machine.seconds / 60:.1f} minutes.",
        "",
        "The layer is the x86_64 `sam build` of template.yaml, without bytecode as "
        "SAM builds it. Each function runs in a fresh `python -s -S -B -P` with "
        "PYTHONPATH = the built function, the layer's python/ and a folder holding "
        "only boto3, botocore, s3transfer, jmespath, dateutil, urllib3 and six "
        "(compiled, as the runtime ships them), against DynamoDB Local on "
        "127.0.0.1 with dummy credentials. Figures from DynamoDB Local are its "
        "latency, not DynamoDB's; capacity units follow DynamoDB's rules.",
        "",
        "## Targets",
        "",
        *_verdicts(results),
        "",
        *_cold_section(results),
        *_warm_section(results),
        *_reads_section(results),
        *_feed_section(results),
        *_layer_section(results),
    ]
    return "\n".join(lines)
