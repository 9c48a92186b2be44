"""Configuration read once from the function's environment."""

import os
from dataclasses import dataclass
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from botocore.config import Config

# The weekday (Monday = 0) that each accepted week start names.
WEEK_STARTS = {"monday": 0, "sunday": 6}


@dataclass(frozen=True)
class Settings:
    table_name: str
    time_zone: ZoneInfo
    tokens_table_name: str | None = None
    week_start: str = "monday"


def zone_named(name: str) -> ZoneInfo:
    """The IANA zone of that name; ValueError if there is none."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{name!r} is not an IANA time zone") from None


@cache
def load_settings() -> Settings:
    """Read the table names, and TIME_ZONE and WEEK_START, the owners' defaults."""
    zone_name = os.environ.get("TIME_ZONE") or "UTC"
    try:
        zone = zone_named(zone_name)
    except ValueError as error:
        raise RuntimeError(f"TIME_ZONE: {error}") from None
    week_start = (os.environ.get("WEEK_START") or "monday").lower()
    if week_start not in WEEK_STARTS:
        raise RuntimeError(f"WEEK_START must be one of {', '.join(WEEK_STARTS)}")
    return Settings(
        table_name=os.environ.get("TABLE_NAME", ""),
        time_zone=zone,
        tokens_table_name=os.environ.get("TOKENS_TABLE") or None,
        week_start=week_start,
    )


def dynamodb_config() -> Config:
    """Short timeouts and a few retries: a request should fail fast, not hang."""
    return Config(
        connect_timeout=2,
        read_timeout=5,
        retries={"mode": "standard", "max_attempts": 3},
    )
