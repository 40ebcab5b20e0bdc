"""One exception tree for the whole of Hoshin.

The CLI, the REST API and the web pages translate these at the edge (exit code 2 / HTTP 4xx /
an error page); nothing below the adapters knows about exit codes or status codes.

    HoshinError
    ├── InputError            bad input from a user: a file, a form, a request body   (CLI exit 2, HTTP 422)
    │   └── RowError          one row/field of a tabular file is wrong; names file, row, field, fix
    ├── NotFoundError         a record that was asked for does not exist               (HTTP 404)
    ├── ConflictError         the change clashes with stored data (duplicate id, cycle) (HTTP 409)
    ├── PermissionDenied      the user's role or unit does not allow the action        (HTTP 403)
    ├── AuthenticationError   not logged in, or wrong credentials                       (HTTP 401)
    ├── TooManyAttempts       too many failed sign-ins; try again after `retry_after_s`   (HTTP 429)
    ├── ConfigError           a setting is missing, malformed or insecure
    ├── StorageError          the database failed or is unreachable                     (HTTP 503)
    └── EmbeddingError        the embedding model could not be loaded or run
"""

from __future__ import annotations

__all__ = [
    "AuthenticationError",
    "ConfigError",
    "ConflictError",
    "EmbeddingError",
    "HoshinError",
    "InputError",
    "NotFoundError",
    "PermissionDenied",
    "RowError",
    "StorageError",
    "TooManyAttempts",
]


class HoshinError(Exception):
    """Base of every error Hoshin raises on purpose."""


class InputError(HoshinError):
    """The input is wrong; the message says what and how to fix it."""


class RowError(InputError):
    """A specific row (and usually a field) of a tabular input is wrong.

    `row` counts data rows from 1 as a spreadsheet user sees them: for CSV/XLSX the header is line 1,
    so the first data row is reported as row 2; for JSON lists it is the 1-based item number.
    """

    def __init__(
        self,
        source: str,
        row: int | None,
        field: str | None,
        problem: str,
        fix: str | None = None,
    ) -> None:
        self.source = source
        self.row = row
        self.field = field
        self.problem = problem
        self.fix = fix
        where = source
        if row is not None:
            where += f", row {row}"
        if field:
            where += f", field '{field}'"
        message = f"{where}: {problem}"
        if fix:
            message += f" ({fix})"
        super().__init__(message)


class NotFoundError(HoshinError):
    """The record asked for does not exist."""


class ConflictError(HoshinError):
    """The change clashes with data already stored (duplicate id, cycle in a tree, stale version)."""


class PermissionDenied(HoshinError):
    """The current user may not do this."""


class AuthenticationError(HoshinError):
    """Not logged in, or the credentials are wrong."""


class TooManyAttempts(HoshinError):
    """Too many sign-ins failed lately; `retry_after_s` says when the next attempt is taken."""

    def __init__(self, message: str, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class ConfigError(HoshinError):
    """A setting is missing, malformed or refuses to run insecurely."""


class StorageError(HoshinError):
    """The database failed or cannot be reached."""


class EmbeddingError(HoshinError):
    """The embedding model could not be loaded or run."""
