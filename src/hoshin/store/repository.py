"""The Repository: every read and write of an organisation's records goes through here.

Records are plain dicts whose keys are the JSON keys of the import/export format (`id`, `name`,
`parent_id`, `parent_ids`, ...), so services, the REST API and the web pages pass them on as they are.

Writes are transactional: `with repo.transaction(): ...` groups several calls into one, and any
exception rolls every one of them back. A call made outside a transaction runs in its own.

The Repository is composed of one class per aggregate, each in its own module and all sharing the
engines and transaction helpers of `StoreBase` (store/base.py):

    organisations.py      Organisations     create, read, delete organisations
    records.py            Records           any record kind by key; narrow reads; upsert, delete
    change_marks.py       ChangeMarks       revisions and removals that kept indexes follow
    goals.py              GoalTrees         unit and goal trees, goals by owner/unit, check-ins
    missions.py           Missions          mission versions
    verdicts.py           Verdicts          verdict rows and batches read back as one history
    verdict_retention.py  VerdictRetention  storing a re-score's batch, retiring older batches
    users.py              Users             sign-in, sessions, passwords, sign-in attempts
    audit.py              Audit             the audit trail
"""

from __future__ import annotations

from typing import Any

from hoshin.store.audit import Audit
from hoshin.store.base import now_iso
from hoshin.store.goals import GoalTrees
from hoshin.store.kinds import RECORD_KINDS, missing_record
from hoshin.store.missions import Missions
from hoshin.store.users import Users
from hoshin.store.verdict_batches import BatchReasons
from hoshin.store.verdict_retention import VerdictRetention

__all__ = ["RECORD_KINDS", "Repository", "missing_record", "now_iso", "open_store"]


def open_store(url: str, migrate: bool = True, reasons: BatchReasons | None = None) -> Repository:
    """A Repository on the database at `url`, its schema brought to head first (unless migrate=False).

    `reasons` writes the sentences of verdicts stored in batches as they are read (the store writes
    none); without it reading one is a ConfigError. hoshin.service.verdict_reasons.open_store
    opens a store with the service's writer."""
    return Repository(url, migrate=migrate, reasons=reasons)


class Repository(GoalTrees, Users, Missions, VerdictRetention, Audit):
    """Records of every organisation in one database (SQLite file or PostgreSQL)."""

    def vector_cache(self) -> Any:
        """A VectorCache on this store's `vectors` table (see hoshin.store.vectors)."""
        from hoshin.store.vectors import StoreVectorCache

        return StoreVectorCache(self)
