"""Running `sam build` on template.yaml, and finding things in what it built."""

import io
import os
import platform
import subprocess
import time
import zipfile
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pytest

from tools.template import ROOT, TEMPLATE, load_template

SAM = ROOT / ".venv-sam" / "bin" / "sam"
REGION = "eu-central-1"
BUILD_TIMEOUT_SECONDS = 600
# platform.machine() names for the two architectures Lambda offers.
LAMBDA_ARCHITECTURES = {
    "x86_64": "x86_64",
    "amd64": "x86_64",
    "aarch64": "arm64",
    "arm64": "arm64",
}


def resources_of(template: dict[str, Any], kind: str) -> list[str]:
    """Logical ids of the template's resources of one type, in template order."""
    return [
        name
        for name, resource in template["Resources"].items()
        if resource["Type"] == kind
    ]


def host_architecture() -> str:
    """The Lambda architecture whose binaries this machine can load."""
    return LAMBDA_ARCHITECTURES[platform.machine().lower()]


def sam_environment(scratch: Path) -> dict[str, str]:
    """The environment of a SAM command: no telemetry, dummy credentials, no AWS."""
    environment = {
        name: value for name, value in os.environ.items() if not name.startswith("AWS_")
    }
    environment.update(
        SAM_CLI_TELEMETRY="0",
        # SAM asks STS who is calling before it builds; that call has to fail here.
        AWS_ENDPOINT_URL="http://127.0.0.1:9",
        AWS_MAX_ATTEMPTS="1",
        AWS_EC2_METADATA_DISABLED="true",
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_DEFAULT_REGION=REGION,
        AWS_CONFIG_FILE=str(scratch / "aws-config"),
        AWS_SHARED_CREDENTIALS_FILE=str(scratch / "aws-credentials"),
        # The layer is installed by the first python3.13 on PATH, the SAM venv's.
        PATH=os.pathsep.join([str(SAM.parent), os.environ.get("PATH", "")]),
    )
    return environment


@dataclass(frozen=True)
class Build:
    """The output of one `sam build`."""

    architecture: str
    root: Path
    template: dict[str, Any]
    seconds: float

    def function_dir(self, function: str) -> Path:
        """What Lambda unpacks into /var/task for the function."""
        return self.root / function

    @property
    def layer_dir(self) -> Path:
        """What Lambda unpacks into /opt for the one layer of the template."""
        (layer,) = resources_of(self.template, "AWS::Serverless::LayerVersion")
        return self.root / layer

    @property
    def layer_python(self) -> Path:
        """The layer's python/ folder, which Lambda puts on sys.path as /opt/python."""
        return self.layer_dir / "python"

    @cached_property
    def layer_zip_size(self) -> int:
        """Bytes of the layer deflated into a zip, as it is uploaded."""
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
            for path in sorted(self.layer_dir.rglob("*")):
                if path.is_file():
                    bundle.write(path, path.relative_to(self.layer_dir))
        return len(archive.getvalue())

    @property
    def layer_size(self) -> int:
        """Bytes of the layer's files, unpacked."""
        return sum(
            path.stat().st_size for path in self.layer_dir.rglob("*") if path.is_file()
        )


def run_sam_build(architecture: str, build_dir: Path, scratch: Path) -> Build:
    """Build the template; the template's default architecture gets no override."""
    template = load_template()
    command = [
        str(SAM),
        "build",
        "--template-file",
        str(TEMPLATE),
        "--build-dir",
        str(build_dir),
    ]
    if architecture != template["Parameters"]["Architecture"]["Default"]:
        command += ["--parameter-overrides", f"Architecture={architecture}"]
    started = time.perf_counter()
    completed = subprocess.run(
        command,
        cwd=ROOT,
        env=sam_environment(scratch),
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_SECONDS,
        check=False,
    )
    seconds = time.perf_counter() - started
    if completed.returncode != 0:
        pytest.fail(
            f"sam build for {architecture} failed ({completed.returncode}):\n"
            f"{completed.stdout[-4000:]}\n{completed.stderr[-4000:]}"
        )
    return Build(architecture, build_dir, template, seconds)
