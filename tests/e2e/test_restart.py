"""The data of `make run` outlives the server."""

import pytest

from tools.dynamodb_local import unavailable_reason

pytestmark = pytest.mark.e2e

WHY_NOT = unavailable_reason()


@pytest.mark.skipif(
    WHY_NOT is not None,
    reason=f"only DynamoDB Local keeps data, and it cannot run: {WHY_NOT}",
)
def test_entries_and_the_running_timer_survive_a_restart(start_server, tmp_path):
    data_dir = tmp_path / "clocks-data"
    first = start_server(data_dir)
    entry = first.api.book("Restart GmbH", "1h", date="2031-02-03", notes="kept")
    timer = first.api.post("/start", {"customer": "Restart GmbH"}).json()
    first.stop()

    second = start_server(data_dir)

    assert second.api.entries_on("2031-02-03") == [entry]
    active = second.api.get("/active").json()
    assert (active["id"], active["start"]) == (timer["id"], timer["start"])
    assert "DynamoDB Local" in second.output
