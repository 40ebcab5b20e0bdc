"""The store: an organisation's records, mission versions, verdicts, users, audit and vectors.

Public surface:

- ``open_store(url, reasons=None) -> Repository`` opens SQLite (``sqlite:///path``) or PostgreSQL
  (``postgresql+psycopg://...``) and applies pending migrations. The store writes no sentences:
  ``reasons`` writes those of verdicts stored in batches as they are read
  (``hoshin.service.verdict_reasons.open_store`` passes the service's).
- ``Repository``: ``transaction()``; organisations (``create_organisation``, ``organisation``,
  ``organisations``, ``default_organisation``, ``delete_organisation``); records of every kind in
  ``RECORD_KINDS`` (``rows``, ``get``, ``keys``, ``count``, ``upsert``, ``delete``); trees
  (``unit_subtree``, ``unit_path``, ``goal_parents``, ``goal_children``, ``set_goal_parents``);
  narrow reads for pages over large organisations (``columns(kind, org, names)``: only those columns
  as tuple-like rows; ``verdict_summaries(org, record_kinds)``: the newest verdict's score, tier, theme and
  mission version per record; ``goals_by_ids(org, ids)``, ``goals_of(org, owner=, units=)``: goals
  with their parent_ids; ``skills_of(org, person_ids)``);
  mission versions (``add_mission_version``, ``mission``, ``mission_versions``); check-ins
  (``add_checkin``, ``checkins``); verdicts (``save_verdicts``, ``verdicts``); users (``find_user``,
  ``set_password_hash``); audit (``record_event``, ``audit_events``); ``vector_cache()``.
  One class per aggregate makes up the Repository (see store/repository.py for the modules).
- ``StoreVectorCache``: the ``hoshin.embedding.VectorCache`` on the store's ``vectors`` table.
- ``hash_password`` / ``verify_password``: salted scrypt password hashes.
- ``apply_migrations``, ``HEAD``: the numbered schema migrations.

Errors are Hoshin's own: NotFoundError, ConflictError (duplicate key, cycle, a reference still in
use), StorageError (the database failed), InputError (an unknown kind).
"""

from __future__ import annotations

from hoshin.store.migrations import HEAD, apply_migrations
from hoshin.store.passwords import hash_password, verify_password
from hoshin.store.repository import RECORD_KINDS, Repository, now_iso, open_store
from hoshin.store.vectors import StoreVectorCache

__all__ = [
    "HEAD",
    "RECORD_KINDS",
    "Repository",
    "StoreVectorCache",
    "apply_migrations",
    "hash_password",
    "now_iso",
    "open_store",
    "verify_password",
]
