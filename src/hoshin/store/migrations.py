"""Numbered schema migrations, applied in order and recorded in the `hoshin_migrations` table.

Each migration is a function of an open connection, run inside the same transaction that records
it, so a failed migration leaves the database at the previous version. `apply_migrations` is called
whenever a store is opened and by `hoshin init`; on a database at head it does nothing but one
check: after the numbered migrations it brings stored mission themes to the current theme rules
(`theme_rederivation.upgrade_theme_rules`). That step is keyed on a constant of the domain, not on a
migration number, because the rules change with releases: a numbered migration runs once, but
every raise of THEME_RULES_VERSION must derive stale themes again.

To change the schema: edit schema.py to the new head, and append a migration here that takes an
existing database from the previous version to it with explicit DDL (never edit an old one).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import Column, Connection, Engine, Integer, MetaData, String, Table, inspect, select, text

from hoshin.store import schema

__all__ = ["HEAD", "MIGRATIONS", "apply_migrations", "current_version"]

_record_metadata = MetaData()
applied_table = Table(
    "hoshin_migrations",
    _record_metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("name", String(200), nullable=False),
    Column("applied_at", String(32), nullable=False),
)


def _m001_initial(conn: Connection) -> None:
    """Every table of the first release."""
    schema.metadata.create_all(conn)


def _m002_verdict_batches(conn: Connection) -> None:
    """Verdicts of a whole re-score in one row (schema.verdict_batches)."""
    schema.verdict_batches.create(conn, checkfirst=True)
    for index in schema.verdict_batches.indexes:
        index.create(conn, checkfirst=True)


def _m003_verdict_batch_retention(conn: Connection) -> None:
    """Columns that let reads skip superseded verdict batches and old payloads be pruned (covered,
    summary, pruned_at). A database created at head by the first migration has them already."""
    have = {c["name"] for c in inspect(conn).get_columns(schema.verdict_batches.name)}
    # Boolean columns are INTEGER 0/1 on SQLite and a real boolean on PostgreSQL.
    false = "false" if conn.dialect.name == "postgresql" else "0"
    for name, default in (("covered", f" NOT NULL DEFAULT {false}"), ("summary", ""), ("pruned_at", "")):
        if name in have:
            continue
        column_type = schema.verdict_batches.c[name].type.compile(dialect=conn.dialect)
        conn.execute(text(f"ALTER TABLE verdict_batches ADD COLUMN {name} {column_type}{default}"))


def _m004_vector_hubness(conn: Connection) -> None:
    """Each cached vector's hubness and the basis it was computed on (vectors.hub, hub_basis), so a
    re-score in a fresh process need not compute every idea's hubness again. Both are nullable: a
    row without them simply has its hub computed and stored on the next re-score."""
    have = {c["name"] for c in inspect(conn).get_columns(schema.vectors.name)}
    for name in ("hub", "hub_basis"):
        if name in have:
            continue
        column_type = schema.vectors.c[name].type.compile(dialect=conn.dialect)
        conn.execute(text(f"ALTER TABLE vectors ADD COLUMN {name} {column_type}"))


def _m005_change_marks(conn: Connection) -> None:
    """The change_marks table and each idea's revision (indexed), so a kept index of ideas sees what
    changed by reading one row, and reads only the ideas written since. Existing ideas keep a null
    revision: a reader builds from all ideas first, then follows revisions."""
    schema.change_marks.create(conn, checkfirst=True)
    have = {c["name"] for c in inspect(conn).get_columns(schema.ideas.name)}
    if "revision" not in have:
        column_type = schema.ideas.c.revision.type.compile(dialect=conn.dialect)
        conn.execute(text(f"ALTER TABLE ideas ADD COLUMN revision {column_type}"))
    for index in schema.ideas.indexes:
        index.create(conn, checkfirst=True)


def _m006_session_epoch(conn: Connection) -> None:
    """users.session_epoch, raised when a user signs out, so their old session cookies stop
    working. Existing users start at 0 (a database created at head has it already)."""
    have = {c["name"] for c in inspect(conn).get_columns(schema.users.name)}
    if "session_epoch" not in have:
        conn.execute(text("ALTER TABLE users ADD COLUMN session_epoch INTEGER NOT NULL DEFAULT 0"))


def _m007_override_version(conn: Connection) -> None:
    """ideas.override_version: the mission version a reviewer's tier was given under. Overrides
    made before it are taken as given under their organisation's current version, so they go on
    teaching the corridor until the mission changes."""
    have = {c["name"] for c in inspect(conn).get_columns(schema.ideas.name)}
    if "override_version" in have:
        return
    conn.execute(text("ALTER TABLE ideas ADD COLUMN override_version INTEGER"))
    conn.execute(
        text(
            "UPDATE ideas SET override_version = (SELECT MAX(m.version) FROM mission_versions m "
            "WHERE m.organisation_id = ideas.organisation_id) WHERE override_tier IS NOT NULL"
        )
    )


def _m008_sign_in_attempts(conn: Connection) -> None:
    """The sign_in_attempts table: recent failed sign-ins per user name and client address, which
    every server process counts alike (a database created at head has it already)."""
    schema.sign_in_attempts.create(conn, checkfirst=True)
    for index in schema.sign_in_attempts.indexes:
        index.create(conn, checkfirst=True)


def _m009_job_table(conn: Connection) -> None:
    """The hoshin_jobs table of background jobs (schema.jobs). Before this migration the job code
    created it itself on first use, so a database may have it already, rows and index included:
    both are created only where missing (a database created at head has them already)."""
    schema.jobs.create(conn, checkfirst=True)
    for index in schema.jobs.indexes:
        index.create(conn, checkfirst=True)


def _m010_verdict_examples(conn: Connection) -> None:
    """verdicts.decided_by_example and example_id: whether reviewers' examples decided a verdict's
    tier, and which labelled idea did. Verdicts stored before read false (not known), until the
    next re-score (a database created at head has both already)."""
    have = {c["name"] for c in inspect(conn).get_columns(schema.verdicts.name)}
    false = "false" if conn.dialect.name == "postgresql" else "0"
    for name, default in (("decided_by_example", f" NOT NULL DEFAULT {false}"), ("example_id", "")):
        if name in have:
            continue
        column_type = schema.verdicts.c[name].type.compile(dialect=conn.dialect)
        conn.execute(text(f"ALTER TABLE verdicts ADD COLUMN {name} {column_type}{default}"))


def _m011_themes_as_phrases(conn: Connection) -> None:
    """Mission themes as phrases of the statement (issue 21). Versions stored before were given
    themes made of the statement's words with the small words dropped ("families europe" for
    "families across Europe"). Each organisation whose current version has such themes gets a new
    version: the same text, corridor, principles and brand attributes, the themes derived again.
    The old version is kept (versions are never rewritten) and an audit event says why."""
    from hoshin.store.theme_rederivation import rederive_themes

    rederive_themes(conn, datetime.now(UTC).isoformat())


def _m012_theme_rules(conn: Connection) -> None:
    """mission_versions.theme_rules: the generation of the theme rules a version's themes were
    derived under. Versions stored before read null (not known); `upgrade_theme_rules`, run right
    after the migrations, settles them (a database created at head has the column already)."""
    have = {c["name"] for c in inspect(conn).get_columns(schema.mission_versions.name)}
    if "theme_rules" not in have:
        conn.execute(text("ALTER TABLE mission_versions ADD COLUMN theme_rules INTEGER"))


def _m013_removed_parts(conn: Connection) -> None:
    """mission_versions.removed_parts: the part-of entries a strategist took out of the mission's
    expansion. Versions stored before read null, which means none removed (a database created at
    head has the column already)."""
    have = {c["name"] for c in inspect(conn).get_columns(schema.mission_versions.name)}
    if "removed_parts" not in have:
        column_type = schema.mission_versions.c.removed_parts.type.compile(dialect=conn.dialect)
        conn.execute(text(f"ALTER TABLE mission_versions ADD COLUMN removed_parts {column_type}"))


MIGRATIONS: list[tuple[int, str, Callable[[Connection], None]]] = [
    (1, "initial schema", _m001_initial),
    (2, "verdict batches", _m002_verdict_batches),
    (3, "verdict batch retention", _m003_verdict_batch_retention),
    (4, "vector hubness", _m004_vector_hubness),
    (5, "change marks", _m005_change_marks),
    (6, "session epoch", _m006_session_epoch),
    (7, "override version", _m007_override_version),
    (8, "sign-in attempts", _m008_sign_in_attempts),
    (9, "job table", _m009_job_table),
    (10, "verdict examples", _m010_verdict_examples),
    (11, "themes as phrases", _m011_themes_as_phrases),
    (12, "theme rules version", _m012_theme_rules),
    (13, "removed part-of entries", _m013_removed_parts),
]
HEAD = MIGRATIONS[-1][0]


def current_version(conn: Connection) -> int:
    """The newest migration applied to this database (0 for an empty one)."""
    if not inspect(conn).has_table(applied_table.name):
        return 0
    newest = conn.execute(select(applied_table.c.version).order_by(applied_table.c.version.desc())).first()
    return 0 if newest is None else int(newest[0])


def apply_migrations(engine: Engine) -> list[int]:
    """Bring the database to HEAD; returns the versions applied now (empty when already there)."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # Two processes opening a fresh database at once: the second waits, then finds it done.
            conn.execute(text("SELECT pg_advisory_xact_lock(4242001)"))
        _record_metadata.create_all(conn)
        have = current_version(conn)
        done = []
        for version, name, migrate in MIGRATIONS:
            if version <= have:
                continue
            migrate(conn)
            conn.execute(
                applied_table.insert().values(
                    version=version, name=name, applied_at=datetime.now(UTC).isoformat()
                )
            )
            done.append(version)
        from hoshin.store.theme_rederivation import upgrade_theme_rules

        # Not a numbered migration: it must run again whenever THEME_RULES_VERSION is raised. On a
        # store whose current versions are all settled it is one query.
        upgrade_theme_rules(conn, datetime.now(UTC).isoformat())
        return done
