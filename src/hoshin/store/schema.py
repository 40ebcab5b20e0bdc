"""The tables of the store, as SQLAlchemy Core, portable between SQLite and PostgreSQL 15.

Choices that keep one schema working on both engines:

- Records keep the ids people gave them ("U-RD", "G-C1"); the primary key is (organisation_id, id),
  so one database holds several organisations and their ids never clash. References are composite
  foreign keys on (organisation_id, <ref>).
- Dates are ISO strings (YYYY-MM-DD) and timestamps ISO strings in UTC: they sort correctly, and a
  backup taken from SQLite reads back byte-identical from PostgreSQL (SQLite has no real date type).
- Lists and structured values (tags, themes, principles) are JSON columns; many-to-many links that
  are queried (goal parents, document areas) are link tables.

This module describes the head of the schema. Migrations (`migrations.py`) bring a database there;
a change here needs a new numbered migration.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    false,
)

__all__ = ["metadata"]

metadata = MetaData()

ID = 64  # longest record id
NAME = 300  # names, titles, emails
STAMP = 32  # ISO timestamp "2026-05-02T10:00:00.000000+00:00"
DATE = 10  # ISO date


def _org() -> Column:
    # Every organisation-owned row points at its organisation.
    return Column("organisation_id", String(ID), ForeignKey("organisations.id"), nullable=False)


def _org_fk(*columns: str, table: str, ref: tuple[str, ...] = ("id",), ondelete: str | None = None):
    return ForeignKeyConstraint(
        ["organisation_id", *columns],
        [f"{table}.organisation_id", *(f"{table}.{c}" for c in ref)],
        ondelete=ondelete,
    )


organisations = Table(
    "organisations",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("name", String(NAME), nullable=False),
    Column("created_at", String(STAMP), nullable=False),
)

mission_versions = Table(
    "mission_versions",
    metadata,
    _org(),
    Column("version", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("themes", JSON, nullable=False),
    Column("focus_areas", JSON, nullable=False),
    Column("exclusions", JSON, nullable=False),
    Column("brand_attributes", JSON, nullable=False),
    Column("principles", JSON, nullable=False),
    Column("created_at", String(STAMP), nullable=False),
    Column("created_by", String(NAME), nullable=False),
    # The generation of the theme rules (domain.mission.THEME_RULES_VERSION) its themes were derived
    # under; THEMES_BY_HAND (0) when people gave them; null when not known (stored before migration
    # 12, or no themes stored).
    Column("theme_rules", Integer),
    # Part-of entries (domain/part_of.py) a strategist removed from this version's expansion, each
    # {code, removed_by, removed_at}; null for versions stored before migration 13 (none removed).
    Column("removed_parts", JSON),
    PrimaryKeyConstraint("organisation_id", "version"),
)

units = Table(
    "units",
    metadata,
    _org(),
    Column("id", String(ID), nullable=False),
    Column("name", String(NAME), nullable=False),
    Column("parent_id", String(ID)),
    Column("description", Text),
    PrimaryKeyConstraint("organisation_id", "id"),
    _org_fk("parent_id", table="units"),
)

people = Table(
    "people",
    metadata,
    _org(),
    Column("id", String(ID), nullable=False),
    Column("name", String(NAME), nullable=False),
    Column("unit_id", String(ID)),
    Column("email", String(NAME)),
    Column("title", String(NAME)),
    Column("profile", Text),
    PrimaryKeyConstraint("organisation_id", "id"),
    _org_fk("unit_id", table="units"),
)

knowledge_areas = Table(
    "knowledge_areas",
    metadata,
    _org(),
    Column("id", String(ID), nullable=False),
    Column("name", String(NAME), nullable=False),
    Column("description", Text),
    Column("weight", Float, nullable=False),
    Column("origin", String(16), nullable=False),
    PrimaryKeyConstraint("organisation_id", "id"),
)

skills = Table(
    "skills",
    metadata,
    _org(),
    Column("person_id", String(ID), nullable=False),
    Column("area_id", String(ID), nullable=False),
    Column("level", Integer, nullable=False),
    Column("skill_text", Text),
    PrimaryKeyConstraint("organisation_id", "person_id", "area_id"),
    _org_fk("person_id", table="people"),
    _org_fk("area_id", table="knowledge_areas"),
)

goals = Table(
    "goals",
    metadata,
    _org(),
    Column("id", String(ID), nullable=False),
    Column("text", Text, nullable=False),
    Column("unit_id", String(ID)),
    Column("level", Integer, nullable=False),
    Column("owner_id", String(ID)),
    Column("period", String(NAME)),
    Column("metric", String(NAME)),
    Column("start", Float),
    Column("target", Float),
    Column("current", Float),
    PrimaryKeyConstraint("organisation_id", "id"),
    _org_fk("unit_id", table="units"),
    _org_fk("owner_id", table="people"),
)

goal_parents = Table(
    "goal_parents",
    metadata,
    _org(),
    Column("goal_id", String(ID), nullable=False),
    Column("parent_id", String(ID), nullable=False),
    PrimaryKeyConstraint("organisation_id", "goal_id", "parent_id"),
    _org_fk("goal_id", table="goals"),
    _org_fk("parent_id", table="goals"),
)
Index("ix_goal_parents_parent", goal_parents.c.organisation_id, goal_parents.c.parent_id)

checkins = Table(
    "checkins",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _org(),
    Column("goal_id", String(ID), nullable=False),
    Column("date", String(DATE), nullable=False),
    Column("value", Float, nullable=False),
    Column("note", Text),
    _org_fk("goal_id", table="goals"),
)

ideas = Table(
    "ideas",
    metadata,
    _org(),
    Column("id", String(ID), nullable=False),
    Column("text", Text, nullable=False),
    Column("source", String(32)),
    Column("author_id", String(ID)),
    Column("unit_id", String(ID)),
    Column("tags", JSON, nullable=False),
    Column("links", JSON, nullable=False),
    Column("status", String(32), nullable=False),
    Column("override_tier", String(16)),
    Column("override_reason", Text),
    Column("reviewer", String(NAME)),
    # The mission version the reviewer's tier was given under: it teaches the corridor
    # (service/corridor_labels.py) only while that version is current. Null: not tied to a version
    # (an imported file's tier), teaching whichever version is current.
    Column("override_version", Integer),
    Column("duplicate_group", String(ID)),
    Column("submitted_at", String(DATE)),
    # Which write last touched the row (Repository._stamp: the transaction id on PostgreSQL, a
    # counter on SQLite): a reader that keeps ideas in memory reads only rows written past the
    # horizon it has seen. Internal: never returned as a field of the idea, never taken from one.
    Column("revision", BigInteger),
    PrimaryKeyConstraint("organisation_id", "id"),
    _org_fk("author_id", table="people"),
    _org_fk("unit_id", table="units"),
)
Index("ix_ideas_revision", ideas.c.organisation_id, ideas.c.revision)

documents = Table(
    "documents",
    metadata,
    _org(),
    Column("id", String(ID), nullable=False),
    Column("title", String(NAME), nullable=False),
    Column("text", Text, nullable=False),
    PrimaryKeyConstraint("organisation_id", "id"),
)

document_areas = Table(
    "document_areas",
    metadata,
    _org(),
    Column("document_id", String(ID), nullable=False),
    Column("area_id", String(ID), nullable=False),
    PrimaryKeyConstraint("organisation_id", "document_id", "area_id"),
    _org_fk("document_id", table="documents"),
    _org_fk("area_id", table="knowledge_areas"),
)

communications = Table(
    "communications",
    metadata,
    _org(),
    Column("id", String(ID), nullable=False),
    Column("title", String(NAME)),
    Column("text", Text, nullable=False),
    Column("channel", String(32)),
    Column("voice", String(16), nullable=False),
    Column("date", String(DATE)),
    PrimaryKeyConstraint("organisation_id", "id"),
)

verdicts = Table(
    "verdicts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _org(),
    Column("record_kind", String(32), nullable=False),
    Column("record_id", String(ID), nullable=False),
    Column("mission_version", Integer),
    Column("score", Float, nullable=False),
    Column("tier", String(16), nullable=False),
    Column("theme", Text),
    Column("why", Text),
    Column("model_id", String(NAME), nullable=False),
    Column("created_at", String(STAMP), nullable=False),
    # Whether reviewers' examples (labelled ideas) decided the tier rather than the engine, and the
    # labelled idea that did (null when the labels decided without one of that tier). Verdicts
    # stored before this was recorded read false: unknown.
    Column("decided_by_example", Boolean, nullable=False, server_default=false()),
    Column("example_id", String(ID)),
)
Index("ix_verdicts_record", verdicts.c.organisation_id, verdicts.c.record_kind, verdicts.c.record_id)

# A full re-score stores its verdicts as one row: every record's score, tier and theme, and what its
# `why` sentence is built from on reading (store/verdict_batches.py). Writing a million `verdicts`
# rows took most of a re-score; a batch row is one insert. Verdict rows written later (`after_verdict`
# is the newest verdicts.id of the organisation when the batch was stored) are newer than it.
# `covered`: every record of the batch has a verdict in a newer batch of its kind, so reads of the
# newest verdicts skip it. `summary`: its counts by tier and theme, {"tiers": {..}, "themes": {..}}.
# `pruned_at`: when its payload was emptied, past the HOSHIN_VERDICT_HISTORY newest batches (the
# summary stays; see store/verdict_batches.py).
verdict_batches = Table(
    "verdict_batches",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _org(),
    Column("record_kind", String(32), nullable=False),
    Column("mission_version", Integer),
    Column("model_id", String(NAME), nullable=False),
    Column("created_at", String(STAMP), nullable=False),
    Column("after_verdict", Integer, nullable=False),
    Column("size", Integer, nullable=False),
    Column("payload", LargeBinary, nullable=False),
    Column("covered", Boolean, nullable=False, server_default=false()),
    Column("summary", JSON),
    Column("pruned_at", String(STAMP)),
)
Index("ix_verdict_batches_org", verdict_batches.c.organisation_id, verdict_batches.c.record_kind)

users = Table(
    "users",
    metadata,
    _org(),
    Column("username", String(ID), nullable=False),
    Column("password_hash", String(NAME)),
    Column("role", String(32), nullable=False),
    Column("unit_id", String(ID)),
    Column("person_id", String(ID)),
    Column("active", Boolean, nullable=False),
    # Raised when the user signs out: a session cookie carries the value it was issued under, so
    # every cookie issued before stops working (service/auth.py). Kept by the store, never imported.
    Column("session_epoch", Integer, nullable=False, server_default="0"),
    PrimaryKeyConstraint("organisation_id", "username"),
    _org_fk("unit_id", table="units"),
    _org_fk("person_id", table="people"),
)

# Recent sign-in attempts per user name and per client address (service/sign_in_limits.py), kept
# in the database because every server process, on this machine or another, must count the same
# attempts. `key` is a digest of what is counted ("name" or "address" and its value), so no typed
# name or address is stored; `attempts` the times (epoch milliseconds, oldest first) of the
# attempts still inside the window, at most the limit; `last_at` the newest, by which rows of
# keys left alone for a whole window are deleted.
sign_in_attempts = Table(
    "sign_in_attempts",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("attempts", JSON, nullable=False),
    Column("last_at", BigInteger, nullable=False),
)
Index("ix_sign_in_attempts_last_at", sign_in_attempts.c.last_at)

audit_events = Table(
    "audit_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _org(),
    Column("at", String(STAMP), nullable=False),
    Column("username", String(NAME), nullable=False),
    Column("action", String(64), nullable=False),
    Column("record_kind", String(32)),
    Column("record_id", String(ID)),
    Column("detail", JSON, nullable=False),
)
Index("ix_audit_org_at", audit_events.c.organisation_id, audit_events.c.at)

# One row per organisation and record kind: `removals` counts deletes (a reader that keeps records
# in memory reads them all again when it grew), `revision` counts writes on SQLite, where it is
# the stamp of the rows written (PostgreSQL stamps transaction ids instead, see Repository._stamp).
change_marks = Table(
    "change_marks",
    metadata,
    _org(),
    Column("kind", String(32), nullable=False),
    Column("revision", BigInteger, nullable=False),
    Column("removals", Integer, nullable=False),
    PrimaryKeyConstraint("organisation_id", "kind"),
)

# Vectors are shared by every organisation: the same text under the same model has one vector.
vectors = Table(
    "vectors",
    metadata,
    Column("model_id", String(NAME), nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("vector", LargeBinary, nullable=False),
    # The vector's hubness (its mean cosine to its nearest background texts, computed from the
    # vector as its int8 codes give it back), which a re-score in a fresh process reads instead of
    # computing it again. `hub_basis` names the background corpus, k and rounding it was computed
    # with; a hub of another basis is ignored and recomputed (store/vectors.py, `hub_basis`).
    Column("hub", Float),
    Column("hub_basis", String(64)),
    PrimaryKeyConstraint("model_id", "content_hash"),
)

# Background jobs (service/jobs.py): bulk imports and re-scores, their state and progress, and the
# uploaded file of an import so any worker can run it. Transient work, not organisation records:
# no foreign key to organisations, and deleting an organisation leaves its finished jobs behind.
jobs = Table(
    "hoshin_jobs",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("organisation_id", String(64), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("state", String(16), nullable=False),  # queued, running, done, failed
    Column("params", Text, nullable=False),
    Column("payload", LargeBinary),
    Column("done", Integer, nullable=False, default=0),
    Column("total", Integer),
    Column("message", Text),
    Column("error", Text),
    Column("result", Text),
    Column("created_by", String(64)),
    Column("created_at", String(40), nullable=False),
    Column("updated_at", String(40), nullable=False),
    Column("heartbeat", Float),
    Column("owner", String(200)),  # host:pid of the worker running it
    Column("attempts", Integer, nullable=False, default=0),
)
# The name SQLAlchemy gave the index when service/jobs.py created the table itself (before
# migration 9), so the migration finds it on such a database instead of adding a second one.
Index("ix_hoshin_jobs_organisation_id", jobs.c.organisation_id)
