"""Builds of template.yaml with the SAM CLI, one per architecture, shared by the tests.

A build takes seconds, so each architecture is built once per session into a
temporary folder and every packaging test reads that one build.
"""

from collections.abc import Callable

import pytest

from tests.packaging.builds import SAM, Build, run_sam_build
from tools.template import ROOT

BUILDS = pytest.StashKey[dict[str, Build]]()


@pytest.fixture(scope="session")
def build_for(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[str], Build]:
    """Build for an architecture on first request; later requests share that build."""
    if not SAM.exists():
        pytest.fail(f"{SAM.relative_to(ROOT)} is missing; `make packaging` creates it")
    builds = request.config.stash.setdefault(BUILDS, {})

    def build(architecture: str) -> Build:
        if architecture not in builds:
            scratch = tmp_path_factory.mktemp(f"sam-{architecture}")
            builds[architecture] = run_sam_build(
                architecture, scratch / "build", scratch
            )
        return builds[architecture]

    return build


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    """How long each build took and how big its layer is, to watch both over time."""
    builds = config.stash.get(BUILDS, {})
    if builds:
        terminalreporter.section("sam build")
    for build in builds.values():
        terminalreporter.write_line(
            f"{build.architecture}: built in {build.seconds:.1f} s; layer "
            f"{build.layer_size / 1e6:.1f} MB unpacked, "
            f"{build.layer_zip_size / 1e6:.2f} MB zipped"
        )
