"""Configuration read once from the function's environment."""

import os
from dataclasses import dataclass
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


@dataclass(frozen=True)
class Settings:
    table_name: str
    time_zone: ZoneInfo


@cache
def load_settings() -> Settings:
    """Read TABLE_NAME and TIME_ZONE; a bad zone name fails the cold start loudly."""
    zone_name = os.environ.get("TIME_ZONE") or "UTC"
    try:
        zone = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise RuntimeError(
            f"TIME_ZONE {zone_name!r} is not an IANA time zone"
        ) from error
    return Settings(table_name=os.environ["TABLE_NAME"], time_zone=zone)
