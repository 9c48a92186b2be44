"""`python -m bench` (or `make bench`): measure, print the tables, write results.md."""

import os
import platform
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.environment import (
    BenchError,
    Sandbox,
    build_layer,
    compiled_copy,
    create_tables,
    database_folder,
    git_revision,
    runtime_packages,
    start_database,
    template_functions,
)
from bench.report import Machine, Results, render
from bench.scenarios import (
    TABLES,
    import_costs,
    layer_size,
    measure_cold_starts,
    measure_feed,
    measure_read_costs,
    measure_warm_requests,
    seed_tokens,
)
from tools.dynamodb_local import DynamoDBLocalError

RESULTS = Path(__file__).resolve().with_name("results.md")
# No profile or config file of this machine may steer the clients that load
# DynamoDB Local; they name its endpoint themselves.
IGNORED_VARIABLES = ("AWS_PROFILE", "AWS_ENDPOINT_URL_DYNAMODB")


def _load_average() -> str:
    return " ".join(f"{load:.2f}" for load in os.getloadavg())


def _step(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def main() -> int:
    started = time.perf_counter()
    load_before = _load_average()
    for name in IGNORED_VARIABLES:
        os.environ.pop(name, None)
    os.environ.update(
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        AWS_EC2_METADATA_DISABLED="true",
    )
    now = datetime.now(UTC).replace(microsecond=0)
    functions = template_functions()
    with (
        tempfile.TemporaryDirectory(prefix="clocks-bench-") as scratch_name,
        database_folder() as data_name,
    ):
        scratch = Path(scratch_name)
        _step("sam build (x86_64)")
        build = build_layer(scratch)
        layer = build.layer_python
        function_dirs = {
            function.name: build.function_dir(function.name) for function in functions
        }
        runtime = runtime_packages(scratch)
        compiled = compiled_copy(layer, scratch)
        _step("starting DynamoDB Local")
        with start_database(Path(data_name)) as database:
            create_tables(database.endpoint_url, TABLES)
            seed_tokens(database.endpoint_url, now)
            sandbox = Sandbox(scratch, database.endpoint_url, runtime)
            _step("cold starts")
            cold = measure_cold_starts(
                sandbox, functions, function_dirs, layer, compiled, now
            )
            _step("warm requests")
            warm = measure_warm_requests(sandbox, functions, function_dirs, layer, now)
            _step("read cost at 1,000, 10,000 and 100,000 entries")
            reads, loads = measure_read_costs(
                sandbox, functions, function_dirs, layer, now
            )
            _step("the feed of a year")
            feed = measure_feed(sandbox, functions, function_dirs, layer, now)
        size = layer_size(build.layer_dir)
    trace, trace_total = import_costs(cold.slowest_import)
    machine = Machine(
        architecture=platform.machine(),
        cores=os.cpu_count() or 0,
        python=platform.python_version(),
        date=now.strftime("%Y-%m-%d %H:%M UTC"),
        revision=git_revision()[0],
        differs_from_head=git_revision()[1],
        load_before=load_before,
        load_after=_load_average(),
        seconds=time.perf_counter() - started,
    )
    report = render(
        Results(machine, cold, trace, trace_total, warm, reads, loads, feed, size)
    )
    print(report)
    RESULTS.write_text(report + "\n", encoding="utf-8")
    _step(f"written to {RESULTS}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (BenchError, DynamoDBLocalError) as error:
        print(f"bench: {error}", file=sys.stderr)
        sys.exit(1)
