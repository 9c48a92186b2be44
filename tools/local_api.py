"""Serve the Clocks API on 127.0.0.1 without Docker: `python -m tools.local_api`.

Every HTTP request becomes an API Gateway HTTP API event (payload format 2.0) for
the function that template.yaml routes it to, and the function's own handler
answers it, in this process. Routes behind the API's Lambda authorizer get the
answers API Gateway gives: 401 without an Authorization header, 403 when the
authorizer refuses. The database is DynamoDB Local kept in .clocks-data/, moto's
in-memory DynamoDB when Java is missing, or DYNAMODB_ENDPOINT_URL.

Environment: PORT (3000), TIME_ZONE (UTC), TABLE_NAME (ClocksEntries),
TOKENS_TABLE (ClocksTokens), CLOCKS_DATA_DIR (.clocks-data),
DYNAMODB_ENDPOINT_URL (unset: start DynamoDB Local), CLOCKS_DEV_TOKEN (unset: none).
"""

import base64
import contextlib
import importlib.util
import json
import os
import re
import signal
import sys
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qsl, unquote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from tools import dynamodb_local
from tools.template import ROOT, Route, load_template, routes

LOOPBACK = "127.0.0.1"
DEFAULT_PORT = 3000
DEFAULT_TABLE = "ClocksEntries"
DEFAULT_TOKENS_TABLE = "ClocksTokens"
# Every token made by the local server acts for this owner.
LOCAL_OWNER = "local"
DEV_TOKEN_NAME = "dev"
# Written to the data folder while the server runs, for the admin command.
ENDPOINT_FILE = "local-api.json"
DEFAULT_DATA_DIR = ROOT / ".clocks-data"
REGION = "eu-central-1"
ACCOUNT_ID = "123456789012"
# Lambda refuses synchronous invocations with a payload over 6 MB.
MAX_BODY_BYTES = 6 * 1024 * 1024
# The path a calendar app uses on the feed function's Function URL.
FEED_PATH = "/calendar.ics"


class LocalApiError(RuntimeError):
    """The local API cannot start; the message says what to change."""


class UnreadableRequestError(Exception):
    """A request whose body cannot be read; API Gateway answers it itself."""

    def __init__(self, status: HTTPStatus) -> None:
        super().__init__(status.phrase)
        self.status = status


# --- Lambda functions -------------------------------------------------------------


Handler = Callable[[dict[str, Any], Any], Any]


@dataclass
class LambdaFunction:
    """One function of the template, run the way Lambda runs it.

    Each execution environment imports the handler module on its own and serves
    one request at a time; when every one is busy another starts, as in Lambda.
    Unlike in Lambda, the environments share the layer's modules.
    """

    name: str
    code_dir: Path
    handler: str
    memory_mb: int
    timeout_seconds: int
    idle: list[Handler] = field(default_factory=list)
    started: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def start_environment(self) -> Handler:
        """Import the handler module afresh: a cold start."""
        with self.lock:
            self.started += 1
            number = self.started
        return _import_handler(self.name, self.code_dir, self.handler, number)

    def invoke(self, event: dict[str, Any]) -> Any:
        with self.lock:
            handler = self.idle.pop() if self.idle else None
        if handler is None:
            handler = self.start_environment()
        try:
            context = LambdaContext(self, time.monotonic() + self.timeout_seconds)
            return handler(event, context)
        finally:
            with self.lock:
                self.idle.append(handler)


class LambdaContext:
    """The context object the Python runtime passes to a handler."""

    def __init__(self, function: LambdaFunction, deadline: float) -> None:
        self.function_name = function.name
        self.function_version = "$LATEST"
        self.invoked_function_arn = (
            f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:{function.name}"
        )
        self.memory_limit_in_mb = function.memory_mb
        self.aws_request_id = str(uuid.uuid4())
        self.log_group_name = f"/aws/lambda/{function.name}"
        self.log_stream_name = time.strftime("%Y/%m/%d/[$LATEST]local")
        self.identity = None
        self.client_context = None
        self._deadline = deadline

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def layer_dirs(template: dict[str, Any]) -> list[Path]:
    """The source folders of the template's layers."""
    return [
        ROOT / resource["Properties"]["ContentUri"]
        for resource in template["Resources"].values()
        if resource["Type"] == "AWS::Serverless::LayerVersion"
    ]


def _import_handler(name: str, code_dir: Path, handler: str, number: int) -> Handler:
    module_name, _, attribute = handler.rpartition(".")
    source = code_dir / (module_name.replace(".", "/") + ".py")
    # Every function's module is app.py; a unique name keeps them apart.
    unique = f"clocks_function_{name}_{number}"
    spec = importlib.util.spec_from_file_location(unique, source)
    if spec is None or spec.loader is None:
        raise LocalApiError(f"{name}: cannot load {source}")
    module: ModuleType = importlib.util.module_from_spec(spec)
    sys.modules[unique] = module
    spec.loader.exec_module(module)
    return getattr(module, attribute)


def lambda_function(template: dict[str, Any], name: str) -> LambdaFunction:
    """The function resource `name`, with one environment started."""
    defaults = template["Globals"]["Function"]
    resource = template["Resources"].get(name) or {}
    if resource.get("Type") != "AWS::Serverless::Function":
        raise LocalApiError(
            f"{name} is not an AWS::Serverless::Function of the template"
        )
    properties = resource["Properties"]
    function = LambdaFunction(
        name=name,
        code_dir=ROOT / properties["CodeUri"],
        handler=properties.get("Handler", defaults["Handler"]),
        memory_mb=int(properties.get("MemorySize", defaults.get("MemorySize", 128))),
        timeout_seconds=int(properties.get("Timeout", defaults.get("Timeout", 3))),
    )
    # Importing each handler now makes a broken function fail the start.
    function.idle.append(function.start_environment())
    return function


def load_functions(
    template: dict[str, Any], api_routes: list[Route]
) -> dict[str, LambdaFunction]:
    """Every routed function by logical id, each with one environment started."""
    functions: dict[str, LambdaFunction] = {}
    for route in api_routes:
        if route.function not in functions:
            functions[route.function] = lambda_function(template, route.function)
    return functions


# --- the authorizer ---------------------------------------------------------------


@dataclass(frozen=True)
class Authorizer:
    """A Lambda authorizer of the HTTP API: payload 2.0 with simple responses."""

    function: LambdaFunction
    # Lower-case names of the headers that make up the identity source.
    identity_headers: tuple[str, ...]


def _route_event(template: dict[str, Any], route: Route) -> dict[str, Any]:
    """The HttpApi event properties in the template that declare `route`."""
    properties = template["Resources"][route.function]["Properties"]
    for event in properties.get("Events", {}).values():
        declared = event["Properties"]
        if (
            event["Type"] == "HttpApi"
            and declared["Path"] == route.path
            and declared["Method"].upper() == route.method
        ):
            return declared
    raise LocalApiError(f"{route.method} {route.path} has no HttpApi event")


def _function_in_arn(arn: Any) -> str:
    """The logical id that `!GetAtt Name.Arn` (short or long form) refers to."""
    if isinstance(arn, dict) and len(arn) == 1:
        ((tag, value),) = arn.items()
        parts = value.split(".", 1) if isinstance(value, str) else list(value)
        if tag in ("GetAtt", "Fn::GetAtt") and parts[1:] == ["Arn"]:
            return str(parts[0])
    raise LocalApiError(
        f"the authorizer's FunctionArn {arn!r} is not !GetAtt <Function>.Arn, "
        "so the local server cannot tell which function it is"
    )


def _authorizer_config(
    template: dict[str, Any], route: Route
) -> tuple[str, tuple[str, ...]] | None:
    """The authorizer function and identity headers guarding `route`, if any."""
    event = _route_event(template, route)
    api_id = event.get("ApiId")
    if isinstance(api_id, dict) and "Ref" in api_id:
        api = template["Resources"][api_id["Ref"]]["Properties"]
    else:
        api = template.get("Globals", {}).get("HttpApi", {})
    auth = api.get("Auth") or {}
    name = (event.get("Auth") or {}).get("Authorizer", auth.get("DefaultAuthorizer"))
    if name is None or name == "NONE":
        return None
    config = (auth.get("Authorizers") or {}).get(name)
    if config is None:
        raise LocalApiError(f"{route.path} names the undefined authorizer {name}")
    supported = (
        "FunctionArn" in config
        and str(config.get("AuthorizerPayloadFormatVersion")) == "2.0"
        and config.get("EnableSimpleResponses") is True
    )
    if not supported:
        raise LocalApiError(
            f"authorizer {name}: the local server emulates only Lambda authorizers "
            "with AuthorizerPayloadFormatVersion 2.0 and EnableSimpleResponses"
        )
    identity = config.get("Identity") or {}
    if set(identity) - {"Headers", "ReauthorizeEvery"}:
        raise LocalApiError(
            f"authorizer {name}: the local server takes identity sources "
            "from headers only"
        )
    # SAM's default identity source is the Authorization header.
    headers = identity.get("Headers") or ["Authorization"]
    return _function_in_arn(config["FunctionArn"]), tuple(h.lower() for h in headers)


def load_authorizers(
    template: dict[str, Any],
    api_routes: list[Route],
    functions: dict[str, LambdaFunction],
) -> dict[tuple[str, str], Authorizer]:
    """The authorizer of each guarded route, by method and path."""
    authorizers = {}
    for route in api_routes:
        config = _authorizer_config(template, route)
        if config is None:
            continue
        name, headers = config
        if name not in functions:
            functions[name] = lambda_function(template, name)
        authorizers[route.method, route.path] = Authorizer(functions[name], headers)
    return authorizers


# --- routing ----------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """Where a request goes: the function and the route key its event carries."""

    function: LambdaFunction
    route_key: str
    path_parameters: dict[str, str]
    function_url: bool = False
    authorizer: Authorizer | None = None


def _path_pattern(path: str) -> re.Pattern[str]:
    pattern = ""
    for part in re.split(r"(\{[^}]+\})", path):
        if part.startswith("{") and part.endswith("+}"):
            pattern += f"(?P<{part[1:-2]}>.+)"
        elif part.startswith("{"):
            pattern += f"(?P<{part[1:-1]}>[^/]+)"
        else:
            pattern += re.escape(part)
    return re.compile(pattern)


class Router:
    """Matches requests to routes as API Gateway does: method and path, else 404."""

    def __init__(
        self,
        api_routes: list[Route],
        functions: dict[str, LambdaFunction],
        url_functions: dict[str, LambdaFunction],
        authorizers: dict[tuple[str, str], Authorizer] | None = None,
    ) -> None:
        # Literal paths win over paths with parameters, as in API Gateway.
        ordered = sorted(api_routes, key=lambda route: "{" in route.path)
        self._routes = [
            (route.method, _path_pattern(route.path), route, functions[route.function])
            for route in ordered
        ]
        self._url_functions = url_functions
        self._authorizers = authorizers or {}

    def match(self, method: str, path: str) -> Target | None:
        if path in self._url_functions:
            return Target(self._url_functions[path], "$default", {}, function_url=True)
        for route_method, pattern, route, function in self._routes:
            if route_method not in (method, "ANY"):
                continue
            found = pattern.fullmatch(path)
            if found:
                return Target(
                    function,
                    f"{route.method} {route.path}",
                    found.groupdict(),
                    authorizer=self._authorizers.get((route.method, route.path)),
                )
        return None


def function_url_paths(
    template: dict[str, Any],
    api_routes: list[Route],
    functions: dict[str, LambdaFunction],
) -> dict[str, LambdaFunction]:
    """The feed function answers at /calendar.ics like on its Function URL."""
    paths = {}
    for route in api_routes:
        properties = template["Resources"][route.function]["Properties"]
        if "FunctionUrlConfig" in properties and route.path.endswith(FEED_PATH):
            paths[FEED_PATH] = functions[route.function]
    return paths


# --- events -----------------------------------------------------------------------


@dataclass(frozen=True)
class HttpRequest:
    method: str
    target: str
    protocol: str
    headers: list[tuple[str, str]]
    body: bytes
    source_ip: str


def _request_time(now: datetime) -> str:
    # API Gateway's CLF-like form, with English month names whatever the locale.
    month = BaseHTTPRequestHandler.monthname[now.month]
    return f"{now.day:02d}/{month}/{now.year}:{now:%H:%M:%S} +0000"


def _query_parameters(raw_query: str) -> dict[str, str]:
    parameters: dict[str, str] = {}
    for name, value in parse_qsl(raw_query, keep_blank_values=True):
        # API Gateway joins the values of a repeated parameter with commas.
        parameters[name] = (
            f"{parameters[name]},{value}" if name in parameters else value
        )
    return parameters


def build_event(request: HttpRequest, target: Target, port: int) -> dict[str, Any]:
    """The payload format 2.0 event API Gateway (or a Function URL) would send."""
    raw_path, _, raw_query = request.target.partition("?")
    headers: dict[str, str] = {}
    cookies: list[str] = []
    for name, value in request.headers:
        name = name.lower()
        if name == "cookie":
            cookies += [part.strip() for part in value.split(";") if part.strip()]
            continue
        # Repeated headers arrive joined with commas.
        headers[name] = f"{headers[name]},{value}" if name in headers else value
    headers.setdefault("x-forwarded-for", request.source_ip)
    headers.setdefault("x-forwarded-port", str(port))
    headers.setdefault("x-forwarded-proto", "http")
    now = datetime.now(UTC)
    request_id = base64.b64encode(uuid.uuid4().bytes[:10]).decode()
    domain = headers.get("host", f"{LOOPBACK}:{port}")
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": target.route_key,
        "rawPath": raw_path,
        "rawQueryString": raw_query,
        "headers": headers,
        "requestContext": {
            "accountId": "anonymous" if target.function_url else ACCOUNT_ID,
            "apiId": "local",
            "domainName": domain,
            "domainPrefix": domain.split(".")[0],
            "http": {
                # HEAD is answered like GET, minus the body.
                "method": "GET" if request.method == "HEAD" else request.method,
                "path": raw_path,
                "protocol": request.protocol,
                "sourceIp": request.source_ip,
                "userAgent": headers.get("user-agent", ""),
            },
            "requestId": request_id,
            "routeKey": target.route_key,
            "stage": "$default",
            "time": _request_time(now),
            "timeEpoch": int(now.timestamp() * 1000),
        },
        "isBase64Encoded": False,
    }
    if cookies:
        event["cookies"] = cookies
    if raw_query:
        event["queryStringParameters"] = _query_parameters(raw_query)
    if target.path_parameters:
        event["pathParameters"] = target.path_parameters
    if request.body:
        try:
            event["body"] = request.body.decode("utf-8")
        except UnicodeDecodeError:
            event["body"] = base64.b64encode(request.body).decode("ascii")
            event["isBase64Encoded"] = True
    return event


def authorizer_event(event: dict[str, Any], identity: list[str]) -> dict[str, Any]:
    """The REQUEST event (payload 2.0) API Gateway sends a Lambda authorizer."""
    context = event["requestContext"]
    method = context["http"]["method"]
    route_arn = (
        f"arn:aws:execute-api:{REGION}:{ACCOUNT_ID}:{context['apiId']}/"
        f"{context['stage']}/{method}/{event['rawPath'].lstrip('/')}"
    )
    request = {
        "version": "2.0",
        "type": "REQUEST",
        "routeArn": route_arn,
        "identitySource": identity,
        "routeKey": event["routeKey"],
        "rawPath": event["rawPath"],
        "rawQueryString": event["rawQueryString"],
        "headers": dict(event["headers"]),
        "requestContext": json.loads(json.dumps(context)),
    }
    for optional in ("cookies", "queryStringParameters", "pathParameters"):
        if optional in event:
            request[optional] = event[optional]
    return request


# --- responses --------------------------------------------------------------------


@dataclass
class HttpResponse:
    status: int
    headers: list[tuple[str, str]]
    body: bytes


def json_error(status: HTTPStatus) -> HttpResponse:
    """An answer of API Gateway itself, such as {"message": "Not Found"}."""
    body = json.dumps({"message": status.phrase}).encode()
    return HttpResponse(status.value, [("Content-Type", "application/json")], body)


def authorize(authorizer: Authorizer, event: dict[str, Any]) -> HttpResponse | None:
    """API Gateway's refusal of the request, or None with the context in `event`.

    Nothing is cached: deployed, API Gateway keeps each answer for the
    authorizer's ReauthorizeEvery seconds.
    """
    identity = [event["headers"].get(name, "") for name in authorizer.identity_headers]
    # A request without its identity source never reaches the authorizer.
    if not all(value.strip() for value in identity):
        return json_error(HTTPStatus.UNAUTHORIZED)
    answer = authorizer.function.invoke(authorizer_event(event, identity))
    if not isinstance(answer, dict) or not isinstance(answer.get("isAuthorized"), bool):
        # API Gateway fails the request with a 500 as well.
        raise TypeError("the authorizer's answer has no boolean isAuthorized")
    if not answer["isAuthorized"]:
        # An HTTP API answers every refusal alike; the message cannot be changed.
        return json_error(HTTPStatus.FORBIDDEN)
    context = answer.get("context") or {}
    if not isinstance(context, dict):
        raise TypeError("the authorizer's context is not an object")
    event["requestContext"]["authorizer"] = {"lambda": context}
    return None


def response_from(result: Any) -> HttpResponse:
    """The HTTP answer API Gateway makes of a handler's result (format 2.0)."""
    if not isinstance(result, dict) or "statusCode" not in result:
        # Without a statusCode the whole result is the JSON body.
        body = json.dumps(result).encode()
        return HttpResponse(200, [("Content-Type", "application/json")], body)
    headers = [
        (name, str(value)) for name, value in (result.get("headers") or {}).items()
    ]
    for name, values in (result.get("multiValueHeaders") or {}).items():
        headers += [(name, str(value)) for value in values]
    headers += [("Set-Cookie", str(cookie)) for cookie in result.get("cookies") or []]
    text = result.get("body") or ""
    if not isinstance(text, str):
        # API Gateway fails such a response with a 500 as well.
        raise TypeError(f"the response body is a {type(text).__name__}, not a str")
    if result.get("isBase64Encoded"):
        body = base64.b64decode(text, validate=True)
    else:
        body = text.encode("utf-8")
    return HttpResponse(int(result["statusCode"]), headers, body)


# --- HTTP server ------------------------------------------------------------------


def _origin_form(target: str) -> str:
    """Path and query of a request target, also of an absolute-form one."""
    if "://" in target:
        # As a proxy would send it; the authority may hold credentials.
        return "/" + target.split("://", 1)[1].partition("/")[2]
    return target


class ApiRequestHandler(BaseHTTPRequestHandler):
    """Turns each request into an event, invokes the function, writes its answer."""

    protocol_version = "HTTP/1.1"
    server_version = "ClocksLocal"
    router: Router
    port: int

    def do_GET(self) -> None:
        self._serve()

    do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_GET
    # API Gateway answers any other method with 404, not 501.
    do_TRACE = do_QUERY = do_CONNECT = do_GET

    def _serve(self) -> None:
        started = time.monotonic()
        try:
            body = self._read_body()
        except UnreadableRequestError as problem:
            self.close_connection = True
            self._write(json_error(problem.status), started)
            return
        path = _origin_form(self.path)
        request = HttpRequest(
            method=self.command,
            target=path,
            protocol=self.request_version,
            headers=list(self.headers.items()),
            body=body,
            source_ip=self.client_address[0],
        )
        raw_path = path.partition("?")[0]
        method = "GET" if self.command == "HEAD" else self.command
        target = self.router.match(method, unquote(raw_path))
        if target is None:
            self._write(json_error(HTTPStatus.NOT_FOUND), started)
            return
        event = build_event(request, target, self.port)
        try:
            refusal = authorize(target.authorizer, event) if target.authorizer else None
            response = refusal or response_from(target.function.invoke(event))
        except Exception:
            # Lambda reports a crashed handler to API Gateway, which answers 500.
            traceback.print_exc()
            response = json_error(HTTPStatus.INTERNAL_SERVER_ERROR)
        if time.monotonic() - started > target.function.timeout_seconds:
            self.log_message(
                "%s took longer than its %ss Lambda timeout",
                target.function.name,
                target.function.timeout_seconds,
            )
        self._write(response, started, event["requestContext"]["requestId"])

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunks()
        length_text = self.headers.get("Content-Length")
        if length_text is None:
            return b""
        if not length_text.strip().isdigit():
            raise UnreadableRequestError(HTTPStatus.BAD_REQUEST)
        length = int(length_text)
        if length > MAX_BODY_BYTES:
            raise UnreadableRequestError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
        return self.rfile.read(length)

    def _read_chunks(self) -> bytes:
        body = bytearray()
        while True:
            size_line = self.rfile.readline(1024).split(b";")[0].strip()
            try:
                size = int(size_line, 16)
            except ValueError:
                raise UnreadableRequestError(HTTPStatus.BAD_REQUEST) from None
            if size == 0:
                # Skip any trailers up to the empty line that ends the message.
                while self.rfile.readline(1024).strip():
                    pass
                return bytes(body)
            if len(body) + size > MAX_BODY_BYTES:
                raise UnreadableRequestError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
            body += self.rfile.read(size)
            self.rfile.readline(1024)

    def _write(
        self, response: HttpResponse, started: float, request_id: str | None = None
    ) -> None:
        self.send_response(response.status)
        names = {name.lower() for name, _ in response.headers}
        for name, value in response.headers:
            if name.lower() not in (
                "content-length",
                "transfer-encoding",
                "connection",
            ):
                self.send_header(name, value)
        # API Gateway names its request id on every answer.
        self.send_header("Apigw-Requestid", request_id or uuid.uuid4().hex[:16])
        bodiless = response.status in (204, 304) or response.status < 200
        if not bodiless:
            self.send_header("Content-Length", str(len(response.body)))
        if "date" not in names:
            self.send_header("Date", self.date_time_string())
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD" and not bodiless:
            self.wfile.write(response.body)
        elapsed = (time.monotonic() - started) * 1000
        # The path only: a query string may carry customer names or a feed token.
        path = _origin_form(getattr(self, "path", ""))
        self.log_message(
            "%s %s %d %.0fms",
            self.command,
            path.partition("?")[0],
            response.status,
            elapsed,
        )

    def send_response(self, code: int, message: str | None = None) -> None:
        # The base class also logs here; _write logs each request once, timed.
        self.send_response_only(code, message)
        self.send_header("Server", self.version_string())

    def send_error(
        self, code: int, message: str | None = None, explain: str | None = None
    ) -> None:
        # Requests http.server refuses itself get JSON too, like every other error.
        self.close_connection = True
        self._write(json_error(HTTPStatus(code)), time.monotonic())

    def log_message(self, format: str, *args: Any) -> None:
        sys.stderr.write(f"{self.log_date_time_string()} {format % args}\n")


# --- the database -----------------------------------------------------------------


@dataclass
class Database:
    """The DynamoDB the handlers use, and how the banner describes it."""

    description: str
    data: str
    # None for moto's in-memory DynamoDB, which only this process can reach.
    endpoint_url: str | None = None
    dummy_credentials: bool = True
    warning: str | None = None


def _use_dummy_credentials() -> None:
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
        os.environ.pop(name, None)
    # Nothing of the machine's AWS configuration applies to a local database.
    os.environ["AWS_CONFIG_FILE"] = os.devnull
    os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
    os.environ["AWS_ACCESS_KEY_ID"] = "testing"
    os.environ["AWS_SECRET_ACCESS_KEY"] = "testing"
    os.environ["AWS_DEFAULT_REGION"] = REGION
    os.environ["AWS_REGION"] = REGION


def _point_dynamodb_at(endpoint_url: str) -> None:
    # boto3 reads the endpoint from here; the handlers stay as they are in Lambda.
    os.environ["AWS_ENDPOINT_URL_DYNAMODB"] = endpoint_url
    os.environ.pop("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", None)


def _create_tables(tables: dict[str, str], where: str) -> None:
    client = boto3.client("dynamodb")
    try:
        for resource, table_name in tables.items():
            dynamodb_local.ensure_table(client, table_name, resource=resource)
    except (BotoCoreError, ClientError) as error:
        raise LocalApiError(f"cannot create the tables in {where}: {error}") from None


@contextlib.contextmanager
def open_database(tables: dict[str, str], data_dir: Path) -> Iterator[Database]:
    """Start or reach the database, with the tables, for as long as the block runs.

    `tables` maps table resources of the template to the names to create.
    """
    endpoint_url = os.environ.get("DYNAMODB_ENDPOINT_URL", "").strip()
    if endpoint_url:
        # Credentials or a profile of the user's own are for this DynamoDB.
        own = bool(os.environ.get("AWS_ACCESS_KEY_ID") or os.environ.get("AWS_PROFILE"))
        if not own:
            _use_dummy_credentials()
        if not (os.environ.get("AWS_DEFAULT_REGION") or os.environ.get("AWS_REGION")):
            os.environ["AWS_DEFAULT_REGION"] = os.environ["AWS_REGION"] = REGION
        _point_dynamodb_at(endpoint_url)
        _create_tables(tables, endpoint_url)
        yield Database(
            f"DynamoDB at {endpoint_url} (DYNAMODB_ENDPOINT_URL)",
            "wherever that DynamoDB keeps it",
            endpoint_url=endpoint_url,
            dummy_credentials=not own,
        )
        return

    _use_dummy_credentials()
    reason = dynamodb_local.unavailable_reason()
    if reason is None:
        with dynamodb_local.start_dynamodb_local(data_dir) as local:
            _point_dynamodb_at(local.endpoint_url)
            _create_tables(tables, local.endpoint_url)
            yield Database(
                f"DynamoDB Local on {local.endpoint_url}",
                f"{data_dir} (kept between runs)",
                endpoint_url=local.endpoint_url,
            )
        return

    from moto import mock_aws

    # moto intercepts calls to AWS's own endpoints; a configured endpoint escapes it.
    for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB"):
        os.environ.pop(name, None)
    with mock_aws():
        _create_tables(tables, "moto")
        yield Database(
            "in-memory DynamoDB (moto)",
            "in memory only, lost when the server stops",
            warning=f"DynamoDB Local cannot run: {reason}. "
            "Entries and tokens are kept in memory and LOST when this server stops; "
            "the admin command cannot reach them.",
        )


# --- tokens -----------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedTokens:
    """Secrets made at the first start, shown once in the banner."""

    api_secret: str = field(repr=False)
    feed_secret: str = field(repr=False)


def _register_dev_token(store: Any, secret: str, now: datetime) -> None:
    token = store.find(secret)
    if token is None:
        store.create(LOCAL_OWNER, DEV_TOKEN_NAME, "api", now, secret=secret)
        return
    if token.owner != LOCAL_OWNER or not token.admits("api", now):
        raise LocalApiError(
            "CLOCKS_DEV_TOKEN is already stored, but not as a valid api token of "
            f"the owner {LOCAL_OWNER!r}; choose another value"
        )


def prepare_tokens(settings: "LocalSettings") -> IssuedTokens | None:
    """Give the local owner tokens on the first start; store CLOCKS_DEV_TOKEN.

    Returns the secrets made now, if any: only their hashes are kept.
    """
    from clocks.periods import utc_now
    from clocks.tokens import TokenStore

    store = TokenStore(boto3.client("dynamodb"), settings.tokens_table_name)
    now = utc_now()
    issued = None
    try:
        if not store.list(LOCAL_OWNER):
            api_secret, _ = store.create(LOCAL_OWNER, "local api", "api", now)
            feed_secret, _ = store.create(LOCAL_OWNER, "local calendar", "feed", now)
            issued = IssuedTokens(api_secret, feed_secret)
        if settings.dev_token:
            _register_dev_token(store, settings.dev_token, now)
    except (BotoCoreError, ClientError) as error:
        raise LocalApiError(f"cannot store the local tokens: {error}") from None
    return issued


# --- the endpoint file ------------------------------------------------------------


@dataclass(frozen=True)
class LocalEndpoint:
    """How the admin command reaches a running local server's database."""

    pid: int
    api_url: str
    # None when the database lives inside the server process (moto).
    endpoint_url: str | None
    region: str
    dummy_credentials: bool
    entries_table: str
    tokens_table: str

    @property
    def feed_url(self) -> str:
        return self.api_url + FEED_PATH


def endpoint_path(data_dir: Path) -> Path:
    return data_dir / ENDPOINT_FILE


def read_endpoint(data_dir: Path) -> LocalEndpoint:
    """The endpoint file in `data_dir`; OSError if absent, ValueError if unreadable."""
    text = endpoint_path(data_dir).read_text(encoding="utf-8")
    try:
        return LocalEndpoint(**json.loads(text))
    except TypeError as error:
        raise ValueError(f"unexpected fields: {error}") from None


def process_alive(pid: int) -> bool:
    """Whether a process with that id runs (ours to signal or not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def refuse_a_second_server(data_dir: Path) -> None:
    """One server per data folder: two would share one DynamoDB Local database file."""
    with contextlib.suppress(OSError, ValueError):
        running = read_endpoint(data_dir)
        if running.pid != os.getpid() and process_alive(running.pid):
            raise LocalApiError(
                f"another local server (pid {running.pid}, {running.api_url}) uses "
                f"{data_dir}; stop it, or give this one its own CLOCKS_DATA_DIR"
            )


@contextlib.contextmanager
def endpoint_file(data_dir: Path, endpoint: LocalEndpoint) -> Iterator[Path]:
    """Keep the endpoint file in `data_dir` for as long as the block runs."""
    path = endpoint_path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    # Written whole and renamed, so that a reader never sees half a file.
    partial = path.with_name(f".{ENDPOINT_FILE}.{os.getpid()}")
    partial.write_text(json.dumps(asdict(endpoint), indent=2) + "\n", encoding="utf-8")
    partial.replace(path)
    try:
        yield path
    finally:
        # Another server may have taken the folder over meanwhile.
        with contextlib.suppress(OSError, ValueError):
            if read_endpoint(data_dir).pid == endpoint.pid:
                path.unlink()


# --- putting it together ----------------------------------------------------------


@dataclass(frozen=True)
class LocalSettings:
    port: int
    table_name: str
    time_zone: str
    data_dir: Path
    tokens_table_name: str = DEFAULT_TOKENS_TABLE
    # A script's own secret; never shown.
    dev_token: str | None = field(default=None, repr=False)

    @property
    def tables(self) -> dict[str, str]:
        """Table names by the template resource they are made from."""
        return {"EntriesTable": self.table_name, "TokensTable": self.tokens_table_name}

    @classmethod
    def from_environment(cls) -> "LocalSettings":
        port_text = os.environ.get("PORT", str(DEFAULT_PORT))
        if not port_text.isdigit() or int(port_text) > 65535:
            raise LocalApiError(f"PORT must be a port number, not {port_text!r}")
        time_zone = os.environ.get("TIME_ZONE") or "UTC"
        try:
            ZoneInfo(time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise LocalApiError(
                f"TIME_ZONE {time_zone!r} is not an IANA time zone "
                "such as Europe/Berlin"
            ) from None
        week_start = (os.environ.get("WEEK_START") or "monday").lower()
        if week_start not in ("monday", "sunday"):
            raise LocalApiError(
                f"WEEK_START must be monday or sunday, not {week_start!r}"
            )
        table_name = os.environ.get("TABLE_NAME") or DEFAULT_TABLE
        tokens_table_name = os.environ.get("TOKENS_TABLE") or DEFAULT_TOKENS_TABLE
        if table_name == tokens_table_name:
            raise LocalApiError(
                "TABLE_NAME and TOKENS_TABLE must name different tables"
            )
        dev_token = os.environ.get("CLOCKS_DEV_TOKEN") or None
        # What the authorizer accepts after "Bearer ": one word, 200 characters.
        if dev_token is not None and not re.fullmatch(r"[!-~]{1,200}", dev_token):
            raise LocalApiError(
                "CLOCKS_DEV_TOKEN must be at most 200 visible ASCII characters "
                "without spaces"
            )
        data_dir = os.environ.get("CLOCKS_DATA_DIR") or DEFAULT_DATA_DIR
        return cls(
            port=int(port_text),
            table_name=table_name,
            time_zone=time_zone,
            data_dir=Path(data_dir).resolve(),
            tokens_table_name=tokens_table_name,
            dev_token=dev_token,
        )


@dataclass
class LocalApi:
    """A running local API."""

    url: str
    database: Database
    settings: LocalSettings
    route_count: int
    guarded_count: int = 0
    issued: IssuedTokens | None = None


def _function_environment(settings: LocalSettings) -> None:
    """The variables template.yaml gives the functions, with local values."""
    os.environ["TABLE_NAME"] = settings.table_name
    os.environ["TOKENS_TABLE"] = settings.tokens_table_name
    os.environ["TIME_ZONE"] = settings.time_zone
    os.environ["POWERTOOLS_SERVICE_NAME"] = "clocks"
    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "INFO")
    # The functions have no business with the server's own secret.
    os.environ.pop("CLOCKS_DEV_TOKEN", None)


class LocalHttpServer(ThreadingHTTPServer):
    # socketserver's backlog of 5 resets connections when a client sends a burst
    # of simultaneous requests, which API Gateway would queue.
    request_queue_size = 128


def _bind(port: int) -> ThreadingHTTPServer:
    try:
        return LocalHttpServer((LOOPBACK, port), ApiRequestHandler)
    except OSError as error:
        raise LocalApiError(
            f"cannot listen on {LOOPBACK}:{port} ({error.strerror}); "
            "set PORT to a free port"
        ) from None


def put_layers_on_path(template: dict[str, Any]) -> None:
    """Lambda mounts each layer on the import path; the handlers import `clocks`."""
    for layer in layer_dirs(template):
        if str(layer) not in sys.path:
            sys.path.insert(0, str(layer))


@contextlib.contextmanager
def local_api(settings: LocalSettings) -> Iterator[LocalApi]:
    """Serve the API in a background thread for as long as the block runs.

    It sets the process environment the handlers read, as Lambda would.
    """
    template = load_template()
    api_routes = routes(template)
    put_layers_on_path(template)
    _function_environment(settings)
    refuse_a_second_server(settings.data_dir)
    server = _bind(settings.port)
    try:
        with open_database(settings.tables, settings.data_dir) as database:
            issued = prepare_tokens(settings)
            functions = load_functions(template, api_routes)
            authorizers = load_authorizers(template, api_routes, functions)
            url_paths = function_url_paths(template, api_routes, functions)
            port = server.server_address[1]
            router = Router(api_routes, functions, url_paths, authorizers)
            handler = type(
                "BoundApiRequestHandler",
                (ApiRequestHandler,),
                {"router": router, "port": port},
            )
            server.RequestHandlerClass = handler
            url = f"http://{LOOPBACK}:{port}"
            endpoint = LocalEndpoint(
                pid=os.getpid(),
                api_url=url,
                endpoint_url=database.endpoint_url,
                region=os.environ.get("AWS_REGION")
                or os.environ.get("AWS_DEFAULT_REGION")
                or REGION,
                dummy_credentials=database.dummy_credentials,
                entries_table=settings.table_name,
                tokens_table=settings.tokens_table_name,
            )
            thread = threading.Thread(target=server.serve_forever, daemon=True)
            thread.start()
            try:
                with endpoint_file(settings.data_dir, endpoint):
                    yield LocalApi(
                        url,
                        database,
                        settings,
                        len(api_routes),
                        len(authorizers),
                        issued,
                    )
            finally:
                server.shutdown()
                thread.join()
    finally:
        server.server_close()


def banner(api: LocalApi) -> str:
    """What the server prints when it is ready; the tokens it made, this once."""
    database = api.database
    settings = api.settings
    feed = api.url + FEED_PATH
    lines = [
        f"Clocks API on {api.url}/api/clocks ({api.route_count} routes, "
        f"{api.guarded_count} of them need an api token)",
        f"  database   {database.description}, tables {settings.table_name} "
        f"and {settings.tokens_table_name}",
        f"  data       {database.data}",
        f"  time zone  {settings.time_zone}",
        f"  owner      {LOCAL_OWNER}: the tokens made here act for it",
        f"  calendar   {feed}?token=<feed token>",
        '  try        curl -s -H "Authorization: Bearer $TOKEN" '
        f"{api.url}/api/clocks/active",
        "  tokens     python -m tools.admin create-token --owner "
        f"{LOCAL_OWNER} --name NAME --scope api|feed",
    ]
    if settings.dev_token:
        lines.append(f"  dev token  CLOCKS_DEV_TOKEN is an api token of {LOCAL_OWNER}")
    if api.issued:
        lines += [
            f"First start: tokens of {LOCAL_OWNER}, shown only this once:",
            f"  api token  {api.issued.api_secret}",
            f"  feed URL   {feed}?token={api.issued.feed_secret}",
        ]
    if database.warning:
        rule = "!" * 78
        lines = [rule, f"!! {database.warning}", rule, *lines]
    lines.append("Ctrl-C stops it.")
    return "\n".join(lines)


def main() -> int:
    # SIGTERM stops the server like Ctrl-C, so DynamoDB Local is stopped either way;
    # SIGINT is set too since a shell starts background jobs with it ignored.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        settings = LocalSettings.from_environment()
        with local_api(settings) as api:
            print(banner(api), flush=True)
            with contextlib.suppress(KeyboardInterrupt):
                threading.Event().wait()
            print("stopping", flush=True)
    except (LocalApiError, dynamodb_local.DynamoDBLocalError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("stopped while starting", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
