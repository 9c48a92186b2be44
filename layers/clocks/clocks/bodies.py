"""Reading JSON request bodies into the pydantic models of clocks.requests."""

from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from pydantic import BaseModel, ValidationError

from clocks.errors import (
    InvalidInputError,
    MalformedRequestError,
    PayloadTooLargeError,
    UnsupportedMediaError,
)

JSON_TYPE = "application/json"
# Far above any real request, far below what would strain a function.
MAX_BODY_BYTES = 64 * 1024


def _problem(error: Any) -> str:
    where = ".".join(str(part) for part in error["loc"])
    message = error["msg"].removeprefix("Value error, ")
    return f"{where}: {message}" if where else message


def read_body[Body: BaseModel](app: APIGatewayHttpResolver, model: type[Body]) -> Body:
    """Parse and validate the JSON body; nothing is written when this fails."""
    event = app.current_event
    content_type = (event.headers or {}).get("content-type", JSON_TYPE)
    if content_type.split(";")[0].strip().lower() != JSON_TYPE:
        raise UnsupportedMediaError(
            "send the body as JSON with Content-Type: application/json"
        )
    try:
        text = event.decoded_body or ""
    except UnicodeDecodeError:
        raise MalformedRequestError("the body must be UTF-8 encoded JSON") from None
    if len(text.encode("utf-8", errors="surrogatepass")) > MAX_BODY_BYTES:
        raise PayloadTooLargeError("the body is larger than 64 KiB")
    if not text.strip():
        raise MalformedRequestError("a JSON object body is required")
    try:
        return model.model_validate_json(text)
    except ValidationError as error:
        details = error.errors(include_url=False, include_input=False)
        if any(detail["type"] == "json_invalid" for detail in details):
            raise MalformedRequestError("the body is not valid JSON") from None
        if any(
            detail["type"] == "model_type" and not detail["loc"] for detail in details
        ):
            raise MalformedRequestError("the body must be a JSON object") from None
        problems = [_problem(detail) for detail in details]
        raise InvalidInputError(
            "invalid request: " + "; ".join(problems), problems=problems
        ) from None
