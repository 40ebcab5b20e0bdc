"""Open a SQLAlchemy engine for a store URL, with the settings each database needs.

SQLite gets write-ahead logging (readers never block the writer), foreign keys switched on (SQLite
ignores them otherwise) and `BEGIN IMMEDIATE` for write transactions, so two writers queue for the
lock at the start instead of failing half-way through. Reads use a second engine whose
transactions start deferred, so they never take the write lock.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, CursorResult, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool

from hoshin.config import db_pool_size
from hoshin.errors import ConfigError, StorageError

__all__ = ["create_engines", "driver_connection", "driver_errors", "inserted_id", "is_sqlite"]

_BUSY_TIMEOUT_MS = 30_000


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def create_engines(url: str) -> tuple[Engine, Engine]:
    """(write engine, read engine) for `url`. For PostgreSQL both share one pool; reads autocommit."""
    try:
        parsed = make_url(url)
    except Exception as exc:  # SQLAlchemy raises ArgumentError with a terse message
        raise ConfigError(f"cannot read the database URL {url!r}: {exc}") from None
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database in ("", ":memory:"):
            # One in-memory database must be shared by every connection, or each sees its own.
            engine = _sqlite_engine(url, immediate=True, poolclass=StaticPool, wal=False)
            return engine, engine
        _create_private(database)
        return _sqlite_engine(url, immediate=True), _sqlite_engine(url, immediate=False)
    if parsed.get_backend_name() != "postgresql":
        raise ConfigError(
            f"unsupported database {parsed.get_backend_name()!r}; use sqlite:/// or postgresql+psycopg://"
        )
    # A request makes a dozen short reads and writes, each taking a pooled connection: with the
    # default pool (5 + 10) forty request threads queued for connections, and a liveness ping on
    # every checkout doubled the round trips (50 clients on 2 cores: median 542 -> 300 ms without
    # both). A connection the database dropped (a restart) fails its request with a clean 503 and
    # the pool is refilled (tests/store/test_db_restart.py).
    size = db_pool_size()
    engine = create_engine(url, pool_pre_ping=False, pool_size=size // 2, max_overflow=size - size // 2)
    # Reads run on the same pool in autocommit: a read transaction cost a BEGIN and a ROLLBACK
    # round trip around its SELECTs, a third of a submission's round trips. Under READ COMMITTED
    # each statement sees its own snapshot either way, so no read loses a guarantee it had.
    return engine, engine.execution_options(isolation_level="AUTOCOMMIT")


def refuse_after_close(writer: Engine, reader: Engine, closed: Callable[[], bool]) -> None:
    """Make the engines refuse new connections once `closed()` is true.

    SQLAlchemy keeps a disposed engine usable: the next use quietly opens a fresh pool. A thread
    still working for a store that was closed (a background refresh, a late flush) would then hold
    a connection nobody closes, which the garbage collector later finds open (CI saw psycopg's
    ResourceWarning from such a connection in an unrelated test). Now that use fails with a
    StorageError the thread reports, and a connection that was in use during the close is closed
    when it is handed back."""

    def check(*_: Any) -> None:
        if closed():
            raise StorageError("the store was closed; open it again to use it")

    def close_late_returns(dbapi_connection: Any, _record: Any) -> None:
        # A connection in use while the store closed is not closed by the engine's dispose: it
        # comes back later to the old pool, which nothing closes. Close it on the way in.
        if closed() and dbapi_connection is not None:
            dbapi_connection.close()

    for engine in {id(writer.pool): writer, id(reader.pool): reader}.values():  # once per pool
        event.listen(engine, "do_connect", check)
        event.listen(engine, "checkin", close_late_returns)


def _create_private(database: str) -> None:
    """Create a new SQLite file readable by its owner only (SQLite gives its -wal and -shm files the
    same mode): it holds password hashes, and the umask usually makes new files world-readable.
    An existing file keeps the mode its owner gave it."""
    if database.startswith("file:"):
        return  # a URI filename: SQLite opens (and creates) it itself
    try:
        os.close(os.open(database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass
    except OSError:
        pass  # a missing folder or no write access: connecting reports it in SQLite's words


def _sqlite_engine(url: str, immediate: bool, wal: bool = True, **kwargs: Any) -> Engine:
    engine = create_engine(
        url, connect_args={"check_same_thread": False, "timeout": _BUSY_TIMEOUT_MS / 1000}, **kwargs
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below issue BEGIN itself (pysqlite would issue a plain one).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}")
        if wal:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def driver_connection(conn: Connection) -> Any:
    """The driver's own connection under `conn` (psycopg or sqlite3, hence Any), for what
    SQLAlchemy does not wrap: COPY, binary cursors, asking whether the connection broke."""
    driver = conn.connection.driver_connection
    if driver is None:  # SQLAlchemy's pool leaves none only on a connection it already closed
        raise StorageError("the database connection was closed")
    return driver


def inserted_id(result: CursorResult[Any]) -> int:
    """The integer primary key of the one row an INSERT ... VALUES just added."""
    key = result.inserted_primary_key
    if key is None:  # SQLAlchemy gives none only for statements that add no single row
        raise StorageError("the database did not report the new row's id")
    return int(key[0])


@contextmanager
def driver_errors(conn: Connection) -> Iterator[None]:
    """Errors of the raw driver cursor (used where SQLAlchemy's rows cost too much) made into what
    SQLAlchemy's own path gives: a StorageError naming the cause, and a connection the database
    dropped taken out of the pool. Without this a psycopg error passed every handler as an
    unexpected 500, and the dead connection went back to the pool for the next request."""
    dbapi = conn.dialect.loaded_dbapi
    try:
        yield
    except dbapi.Error as exc:
        raw = conn.connection.dbapi_connection
        if conn.dialect.is_disconnect(exc, raw, None) or getattr(raw, "closed", False):
            conn.invalidate(exc)
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        failed = StorageError(f"database error: {first}")
        failed.public = "the database could not do this; the server log says why"  # type: ignore[attr-defined]
        raise failed from exc
