"""Calls released at once from threads of their own, for the concurrency tests."""

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

Call = Callable[[], Any]


def together(calls: Sequence[Call], wait_seconds: float) -> list[Any]:
    """Run every call on a thread of its own, all released by one barrier."""
    barrier = threading.Barrier(len(calls))

    def run(call: Call) -> Any:
        barrier.wait(timeout=wait_seconds)
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        futures = [pool.submit(run, call) for call in calls]
        return [future.result(timeout=wait_seconds) for future in futures]
