"""Domain errors; the HTTP layer maps each to its status code in one place."""


class ClocksError(Exception):
    """Base of every error a client can act on."""

    status_code = 400

    def __init__(self, message: str, **details: object) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class InvalidInputError(ClocksError):
    """Input that is well-formed but not acceptable (bad date, duration, period)."""

    status_code = 422


class MalformedRequestError(ClocksError):
    """A request that cannot be read at all (broken JSON, wrong content type)."""

    status_code = 400


class NotFoundError(ClocksError):
    status_code = 404


class ConflictError(ClocksError):
    status_code = 409


class StartTakenError(ConflictError):
    def __init__(self) -> None:
        super().__init__("another entry already starts at that time")


class EntryChangedError(ConflictError):
    def __init__(self) -> None:
        super().__init__("the entry was changed by another request; read it and retry")


class EntryInvoicedError(ConflictError):
    def __init__(self) -> None:
        super().__init__(
            "the entry is invoiced and locked; un-invoice it first with "
            'PATCH {"invoiced": false}'
        )


class EntryNotFoundError(NotFoundError):
    def __init__(self) -> None:
        super().__init__("no entry starts at that time")


class NoTimerError(NotFoundError):
    def __init__(self) -> None:
        super().__init__("no timer is running")


class TimerRunningError(ConflictError):
    """A second start while a timer runs; carries the running timer when known."""

    def __init__(self, running: object | None) -> None:
        super().__init__("a timer is already running; stop it first")
        self.running = running


class UnsupportedMediaError(ClocksError):
    status_code = 415


class UnauthorizedError(ClocksError):
    """No owner behind the request; says nothing that would help a guesser."""

    status_code = 401

    def __init__(self) -> None:
        super().__init__("Unauthorized")


class PayloadTooLargeError(ClocksError):
    status_code = 413
