"""What every part of the Repository shares: the engines, transactions and the error translation.

`StoreBase` opens the write and read engines for a URL (store/engine.py), applies pending migrations,
and gives the aggregate modules (organisations, records, goals, missions, verdicts, users, audit)
their two ways in: `transaction()` for writes (nested calls join the outer one) and `_reading()`
for reads (inside a transaction, the transaction's own connection, so a caller reads its own
uncommitted writes). Database errors leave as Hoshin's own (`translated`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import UTC, datetime
from typing import Any, Self

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError, IntegrityError

from hoshin.errors import ConflictError, HoshinError, StorageError
from hoshin.store.engine import create_engines, refuse_after_close
from hoshin.store.kinds import Kind
from hoshin.store.migrations import apply_migrations
from hoshin.store.verdict_batches import BatchReasons

__all__ = ["StoreBase", "chunks", "now_iso", "translated"]


def now_iso() -> str:
    """The current time as the store writes it: ISO 8601 in UTC."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


class StoreBase:
    """The engines of one database and the transaction and read helpers every aggregate uses."""

    def __init__(self, url: str, migrate: bool = True, reasons: BatchReasons | None = None) -> None:
        self.url = url
        # Writes the sentences of batch verdicts as they are read (store/verdict_batches.py); the
        # store writes none itself. Without one, reading such a sentence is a ConfigError.
        self._reasons = reasons
        self._writer, self._reader = create_engines(url)
        # An Event, not a flag on self: the engines' check holds it without holding the repository.
        self._closed = threading.Event()
        refuse_after_close(self._writer, self._reader, self._closed.is_set)
        self._local = threading.local()
        # SQLite has one writer at a time. Threads that find it busy sleep in SQLite's busy handler
        # with growing back-offs (up to 100 ms a nap) even when the writer finishes in a
        # millisecond; queueing this process's writers on a lock first hands the turn straight to
        # the next one (a sampled server under 50 clients had a third of its request threads
        # napping in BEGIN IMMEDIATE before, none after). Other processes still meet the busy
        # timeout. PostgreSQL needs no such lock.
        self._write_turn: AbstractContextManager[Any] = (
            threading.Lock() if self._writer.dialect.name == "sqlite" else nullcontext()
        )
        if migrate:
            with translated():
                apply_migrations(self._writer)

    @property
    def dialect(self) -> str:
        return self._writer.dialect.name

    @property
    def closed(self) -> bool:
        """Whether `close` was called. SQLAlchemy keeps a disposed engine usable (it opens a new
        pool), so background writers ask this before they write rather than reconnect."""
        return self._closed.is_set()

    def close(self) -> None:
        self._closed.set()
        self._writer.dispose()
        if self._reader.pool is not self._writer.pool:
            self._reader.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One write transaction; nested calls join the outer one. Rolls back on any exception."""
        current = getattr(self._local, "conn", None)
        if current is not None:
            yield current
            return
        with self._write_turn, translated(), self._writer.begin() as conn:
            self._local.conn = conn
            try:
                yield conn
            finally:
                self._local.conn = None

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        current = getattr(self._local, "conn", None)
        if current is not None:  # read your own uncommitted writes
            yield current
            return
        with translated(), self._reader.connect() as conn:
            yield conn

    @staticmethod
    def _record(spec: Kind, mapping: Any, include_hidden: bool) -> dict[str, Any]:
        record = {k: v for k, v in mapping.items() if k != "organisation_id" and k not in spec.internal}
        if not include_hidden:
            for name in spec.hidden:
                record.pop(name, None)
        return record


def chunks(items: list[Any], size: int = 500) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@contextmanager
def translated() -> Iterator[None]:
    """Database errors become Hoshin's: a clash is a ConflictError, anything else a StorageError."""
    try:
        yield
    except HoshinError:
        raise
    except IntegrityError as exc:
        clash = ConflictError(f"the change clashes with stored data: {_first_line(exc.orig)}")
        raise _in_plain_words(clash, "the change clashes with stored data") from exc
    except DBAPIError as exc:
        failed = StorageError(f"database error: {_first_line(exc.orig)}")
        raise _in_plain_words(failed, "the database could not do this; the server log says why") from exc


def _in_plain_words(error: HoshinError, public: str) -> HoshinError:
    """`error` (whose message quotes the database, for the command line and the log) with the
    words a web answer may show instead: the database's own text names tables and constraints."""
    error.public = public  # type: ignore[attr-defined]
    return error


def _first_line(error: object) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
