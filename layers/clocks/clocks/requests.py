"""Request bodies, validated with pydantic before anything is read or written."""

import datetime as dt
import unicodedata
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from clocks.times import EARLIEST_YEAR, LATEST_YEAR

# Item size stays far below DynamoDB's 400 KB limit with these caps.
MAX_CUSTOMER = 200
MAX_DESCRIPTION = 2_000
MAX_NOTES = 10_000
MAX_REFERENCE = 200
MAX_STARTS = 500


def _no_control_characters(text: str, allowed: str = "") -> str:
    for character in text:
        if unicodedata.category(character) == "Cc" and character not in allowed:
            raise ValueError("must not contain control characters")
    return text


def _single_line(text: str) -> str:
    return _no_control_characters(text)


def _multi_line(text: str) -> str:
    # Text pasted from Windows brings \r\n line ends.
    return _no_control_characters(text, allowed="\n\r\t")


def _not_blank(text: str) -> str:
    if not text:
        raise ValueError("must not be empty")
    return text


Customer = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=MAX_CUSTOMER),
    AfterValidator(_not_blank),
    AfterValidator(_single_line),
]
Reference = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=MAX_REFERENCE),
    AfterValidator(_single_line),
]
Description = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=MAX_DESCRIPTION),
    AfterValidator(_single_line),
]
Notes = Annotated[str, Field(max_length=MAX_NOTES), AfterValidator(_multi_line)]
Day = Annotated[
    dt.date,
    Field(ge=dt.date(EARLIEST_YEAR, 1, 1), le=dt.date(LATEST_YEAR, 12, 31)),
]


class _Body(BaseModel):
    # Unknown fields are refused so that a typo never passes silently.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class StartTimerRequest(_Body):
    customer: Customer
    description: Description | None = None
    task_id: Reference | None = None
    contract: Reference | None = None
    notes: Notes | None = None


class QuickBookRequest(_Body):
    duration: Annotated[str, Field(max_length=40)]
    customer: Customer
    description: Description | None = None
    task_id: Reference | None = None
    contract: Reference | None = None
    notes: Notes | None = None
    date: Day | None = None
    start_time: dt.time | None = None


class UpdateEntryRequest(_Body):
    """Every field optional; null clears description, notes, task_id and contract."""

    customer: Customer | None = None
    description: Description | None = None
    hours: Annotated[float, Field(gt=0, le=24, allow_inf_nan=False)] | None = None
    new_date: Day | None = None
    start_time: dt.time | None = None
    task_id: Reference | None = None
    invoiced: bool | None = None
    notes: Notes | None = None
    contract: Reference | None = None

    @model_validator(mode="after")
    def _refuse_null_for_kept_fields(self) -> "UpdateEntryRequest":
        for name in ("customer", "hours", "new_date", "start_time", "invoiced"):
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"{name} cannot be null; leave it out to keep it")
        return self


Start = Annotated[str, Field(max_length=40)]


class BatchInvoiceRequest(_Body):
    starts: Annotated[list[Start], Field(min_length=1, max_length=MAX_STARTS)]
