"""The HTTP API's Lambda authorizer: lets requests with a valid api token through.

API Gateway caches each answer per Authorization header for the configured TTL,
so a revoked token stops working at the latest when its cached answer expires.
"""

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from clocks.periods import utc_now
from clocks.tokens import bearer_secret, token_store

logger = Logger()


@logger.inject_lambda_context(clear_state=True)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    headers = event.get("headers") or {}
    secret = bearer_secret(headers.get("authorization"))
    owner = token_store().authenticate(secret, "api", utc_now())
    if owner is None:
        logger.info("token refused")
        return {"isAuthorized": False}
    logger.info("token accepted", extra={"owner": owner})
    return {"isAuthorized": True, "context": {"owner": owner}}
