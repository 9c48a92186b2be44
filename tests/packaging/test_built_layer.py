"""The built layer carries binaries for its architecture and stays small."""

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.packaging.builds import Build
from tools.template import load_template

pytestmark = pytest.mark.packaging

# e_machine of the ELF header for each Lambda architecture.
ELF_MACHINES = {"x86_64": 62, "arm64": 183}
# How wheel platform tags end for each Lambda architecture.
WHEEL_MACHINES = {"x86_64": "x86_64", "arm64": "aarch64"}
RUNTIME_PACKAGES = ("boto3", "botocore", "s3transfer")
# Our own budget for cold starts; Lambda allows far more (250 MB unzipped).
LAYER_ZIP_BUDGET = 5_000_000
ARCHITECTURES = ["arm64", "x86_64"]


def elf_machine(path: Path) -> int | None:
    """The machine a shared object was compiled for; None if it is no ELF file."""
    header = path.read_bytes()[:20]
    if header[:4] != b"\x7fELF":
        return None
    order = "little" if header[5] == 1 else "big"
    return int.from_bytes(header[18:20], order)


def is_shared_object(path: Path) -> bool:
    return path.is_file() and (path.suffix == ".so" or ".so." in path.name)


def wheel_fields(wheel: Path) -> list[tuple[str, str]]:
    """The "Name: value" lines of a dist-info WHEEL file."""
    fields = []
    for line in wheel.read_text(encoding="utf-8").splitlines():
        name, _, value = line.partition(":")
        fields.append((name.strip(), value.strip()))
    return fields


@pytest.fixture(scope="module")
def default_build(build_for: Callable[[str], Build]) -> Build:
    """The build that `make build` and a deploy without overrides produce."""
    return build_for(load_template()["Parameters"]["Architecture"]["Default"])


@pytest.mark.parametrize("architecture", ARCHITECTURES)
def test_compiled_extensions_in_the_layer_match_its_architecture(
    architecture: str, build_for: Callable[[str], Build]
) -> None:
    layer = build_for(architecture).layer_python
    extensions = [path for path in layer.rglob("*") if is_shared_object(path)]

    machines = {str(path.relative_to(layer)): elf_machine(path) for path in extensions}

    assert any(name.startswith("pydantic_core/") for name in machines), machines
    wrong = {
        name: machine
        for name, machine in machines.items()
        if machine != ELF_MACHINES[architecture]
    }
    assert not wrong, f"not built for {architecture}: {wrong}"


@pytest.mark.parametrize("architecture", ARCHITECTURES)
def test_platform_wheels_in_the_layer_are_manylinux_for_its_architecture(
    architecture: str, build_for: Callable[[str], Build]
) -> None:
    layer = build_for(architecture).layer_python
    tags_by_wheel = {}
    for wheel in layer.glob("*.dist-info/WHEEL"):
        fields = wheel_fields(wheel)
        if ("Root-Is-Purelib", "true") not in fields:
            tags_by_wheel[wheel.parent.name] = [
                value for name, value in fields if name == "Tag"
            ]

    assert any(name.startswith("pydantic_core-") for name in tags_by_wheel)
    machine = WHEEL_MACHINES[architecture]
    wrong = {
        name: tags
        for name, tags in tags_by_wheel.items()
        if not tags
        or not all(
            tag.split("-")[-1].startswith("manylinux") and tag.endswith(f"_{machine}")
            for tag in tags
        )
    }
    assert not wrong, f"not tagged manylinux {machine}: {wrong}"


def test_layer_leaves_boto3_to_the_runtime(default_build: Build) -> None:
    layer = default_build.layer_python

    shipped = sorted(
        path.name
        for path in layer.iterdir()
        if path.name.split("-")[0].lower() in RUNTIME_PACKAGES
    )

    assert not shipped, f"the Lambda runtime already provides {shipped}"


@pytest.mark.parametrize("architecture", ARCHITECTURES)
def test_layer_zips_under_its_size_budget(
    architecture: str, build_for: Callable[[str], Build]
) -> None:
    size = build_for(architecture).layer_zip_size

    assert size < LAYER_ZIP_BUDGET, f"the {architecture} layer zips to {size:,} bytes"
