"""What the measurements run on: the built layer, the runtime's packages, a database.

Every function runs in a fresh interpreter laid out as Lambda lays it out: the
function's code, then the layer's python/ folder, then a folder holding only the
packages the Python runtime brings (boto3 and its dependencies). Nothing reaches
AWS: the clients get dummy credentials, DynamoDB's endpoint is DynamoDB Local on
127.0.0.1, and every other service's endpoint is a closed local port.
"""

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from dataclasses import dataclass
from itertools import count
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config

from tests.packaging.builds import Build, run_sam_build
from tools.dynamodb_local import (
    DUMMY_CREDENTIALS,
    LOCAL_REGION,
    DynamoDBLocal,
    ensure_table,
    start_dynamodb_local,
)
from tools.template import ROOT, load_template

LAMBDA_PROCESS = Path(__file__).resolve().with_name("lambda_process.py")
# The packages the Lambda Python runtime ships beside the standard library; six
# comes along because python-dateutil imports it.
RUNTIME_PACKAGES = (
    "boto3",
    "botocore",
    "s3transfer",
    "jmespath",
    "dateutil",
    "urllib3",
    "six.py",
)
# Lambda's own architecture for the build; this machine runs x86_64 binaries.
BUILD_ARCHITECTURE = "x86_64"
# Every service but DynamoDB is pointed at a port where nothing listens.
NOWHERE = "http://127.0.0.1:9"
PROCESS_TIMEOUT_SECONDS = 300
# As on -I: no user site, no site-packages, no script folder on the path; unlike -I
# PYTHONPATH is honoured, since it is how the layout above is given. -B: Lambda's
# /opt and /var/task are read-only, so no bytecode is ever written there.
ISOLATION_FLAGS = ("-s", "-S", "-B", "-P")


class BenchError(RuntimeError):
    """Something the benchmark needs did not work; the message says what."""


@dataclass(frozen=True)
class Function:
    """One function of template.yaml as Lambda would run it."""

    name: str
    code: str
    handler: str
    variables: dict[str, Any]
    # The template's parameters at their defaults.
    parameters: dict[str, str]

    def environment(self, tables: dict[str, str]) -> dict[str, str]:
        """The function's variables with the tables and parameters filled in."""
        references = {**self.parameters, **tables}
        return {
            name: references[value["Ref"]] if isinstance(value, dict) else str(value)
            for name, value in self.variables.items()
        }


def template_functions() -> list[Function]:
    """Every function of the template, in template order."""
    template = load_template()
    globals_ = template["Globals"]["Function"]
    parameters = {
        name: str(spec["Default"]) for name, spec in template["Parameters"].items()
    }
    found = []
    for name, resource in template["Resources"].items():
        if resource["Type"] != "AWS::Serverless::Function":
            continue
        properties = resource["Properties"]
        variables = {
            **globals_.get("Environment", {}).get("Variables", {}),
            **properties.get("Environment", {}).get("Variables", {}),
        }
        found.append(
            Function(
                name=name,
                code=Path(properties["CodeUri"]).name,
                handler=properties.get("Handler", globals_["Handler"]),
                variables=variables,
                parameters=parameters,
            )
        )
    return found


def build_layer(scratch: Path) -> Build:
    """`sam build` of the whole template for x86_64 into a scratch folder."""
    try:
        return run_sam_build(BUILD_ARCHITECTURE, scratch / "build", scratch)
    # The packaging helper reports a failed build the way pytest expects.
    except pytest.fail.Exception as error:
        raise BenchError(f"sam build failed: {error}") from None


def runtime_packages(scratch: Path) -> Path:
    """A folder with only the runtime's packages, copied from this virtualenv.

    The runtime ships its packages compiled, so they are compiled here too.
    """
    source = Path(sysconfig.get_path("purelib"))
    target = scratch / "runtime"
    target.mkdir()
    for name in RUNTIME_PACKAGES:
        if (source / name).is_dir():
            shutil.copytree(source / name, target / name)
        elif (source / name).is_file():
            shutil.copy2(source / name, target / name)
        else:
            raise BenchError(f"{name} is not installed in {source}")
    compile_folder(target)
    return target


def compile_folder(folder: Path) -> None:
    """Bytecode beside every module of `folder`, made by the measured interpreter."""
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", "-j", "0", str(folder)],
        stdout=subprocess.DEVNULL,
        check=True,
    )


def compiled_copy(layer_python: Path, scratch: Path) -> Path:
    """The layer's python/ folder with bytecode beside every module."""
    target = scratch / "layer-compiled" / "python"
    shutil.copytree(layer_python, target)
    compile_folder(target)
    return target


def database_client(endpoint_url: str) -> Any:
    """A client of DynamoDB Local for loading data: patient, with dummy credentials."""
    config = Config(
        connect_timeout=5, read_timeout=120, retries={"total_max_attempts": 3}
    )
    return boto3.client(
        "dynamodb",
        endpoint_url=endpoint_url,
        region_name=LOCAL_REGION,
        config=config,
        **DUMMY_CREDENTIALS,
    )


def database_folder() -> tempfile.TemporaryDirectory:
    """A folder for DynamoDB Local's files, in memory where the machine allows."""
    shared_memory = Path("/dev/shm")
    return tempfile.TemporaryDirectory(
        prefix="clocks-bench-db-",
        dir=shared_memory if shared_memory.is_dir() else None,
    )


def start_database(data_dir: Path) -> DynamoDBLocal:
    """DynamoDB Local on 127.0.0.1 with its files in `data_dir`."""
    return start_dynamodb_local(data_dir)


def create_tables(endpoint_url: str, tables: dict[str, str]) -> None:
    """Create each table of {table name: template resource it copies}."""
    client = database_client(endpoint_url)
    for table_name, resource in tables.items():
        ensure_table(client, table_name, resource=resource)


@dataclass(frozen=True)
class Outcome:
    """What one interpreter reported, with the parent's clock at its spawn."""

    spawned_ns: int
    result: dict[str, Any]
    stderr: str

    @property
    def total_ms(self) -> float:
        """From spawning the process to its first answer (the floor: its client)."""
        return (self.result["answered_ns"] - self.spawned_ns) / 1e6

    @property
    def startup_ms(self) -> float:
        return (self.result["started_ns"] - self.spawned_ns) / 1e6

    @property
    def import_ms(self) -> float:
        return (self.result["imported_ns"] - self.result["started_ns"]) / 1e6

    @property
    def first_answer_ms(self) -> float:
        return (self.result["answered_ns"] - self.result["imported_ns"]) / 1e6


class Sandbox:
    """Starts lambda_process.py interpreters against one DynamoDB Local."""

    def __init__(self, scratch: Path, endpoint_url: str, runtime: Path) -> None:
        self.scratch = scratch
        self.endpoint_url = endpoint_url
        self.runtime = runtime
        self.database = database_client(endpoint_url)
        self._numbers = count()

    def _environment(self, path: list[Path], function: str) -> dict[str, str]:
        return {
            "PATH": "/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "TZ": "UTC",
            "PYTHONPATH": os.pathsep.join(str(folder) for folder in path),
            # Zones come from the layer's tzdata, as nothing promises a zone
            # database on the Lambda host.
            "PYTHONTZPATH": "",
            "AWS_ACCESS_KEY_ID": DUMMY_CREDENTIALS["aws_access_key_id"],
            "AWS_SECRET_ACCESS_KEY": DUMMY_CREDENTIALS["aws_secret_access_key"],
            "AWS_DEFAULT_REGION": LOCAL_REGION,
            "AWS_REGION": LOCAL_REGION,
            "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_ENDPOINT_URL": NOWHERE,
            "AWS_ENDPOINT_URL_DYNAMODB": self.endpoint_url,
            "AWS_LAMBDA_FUNCTION_NAME": function,
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512",
        }

    def run(
        self,
        plan: dict[str, Any],
        path: list[Path],
        function: str = "floor",
        variables: dict[str, str] | None = None,
        flags: tuple[str, ...] = (),
    ) -> Outcome:
        """Run one fresh interpreter with `path` as its PYTHONPATH."""
        number = next(self._numbers)
        plan_path = self.scratch / f"plan-{number}.json"
        result_path = self.scratch / f"result-{number}.json"
        plan_path.write_text(json.dumps({**plan, "function": function}), "utf-8")
        command = [
            sys.executable,
            *ISOLATION_FLAGS,
            *flags,
            str(LAMBDA_PROCESS),
            str(plan_path),
            str(result_path),
        ]
        environment = {**self._environment(path, function), **(variables or {})}
        spawned = time.monotonic_ns()
        completed = subprocess.run(
            command,
            env=environment,
            cwd=self.scratch,
            stdin=subprocess.DEVNULL,
            # Powertools logs each request to stdout, as Lambda collects it.
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            timeout=PROCESS_TIMEOUT_SECONDS,
            check=False,
        )
        if not result_path.exists():
            raise BenchError(
                f"{function} exited with {completed.returncode} and no result:\n"
                f"{completed.stderr[-3000:]}"
            )
        result = json.loads(result_path.read_text("utf-8"))
        plan_path.unlink()
        result_path.unlink()
        if "error" in result:
            raise BenchError(f"{function} failed:\n{result['error']}")
        return Outcome(spawned, result, completed.stderr)


def git_revision() -> tuple[str, bool]:
    """The short HEAD, and whether the code measured differs from it."""
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    changes = subprocess.run(
        ["git", "status", "--porcelain", "--", "layers", "functions", "template.yaml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return head or "unknown", bool(changes)
