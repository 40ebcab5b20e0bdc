"""The sentences of verdicts stored in batches, and the store opened with them.

A re-score stores its verdicts as numbers (store/verdict_batches.py) and no sentences: writing a
million sentences took most of a re-score. A verdict's `why` is written when it is read, from the
numbers and the record's current text, by `batch_reason`: the very function (`explain.reason`)
that writes sentences at scoring time, so it reads exactly the same. The store never writes
sentences; it is given this writer when it is opened (`open_store`), asks it for the verdicts it
hands out, and keeps the sentences it got with the decoded batch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hoshin.domain.calibration import Thresholds
from hoshin.domain.explain import reason

if TYPE_CHECKING:
    from hoshin.store.repository import Repository
    from hoshin.store.verdict_batches import VerdictBatch

__all__ = ["batch_reason", "open_store"]


def batch_reason(batch: VerdictBatch, i: int, text: str) -> str:
    """The sentence of verdict i of `batch` for the record's `text`."""
    row, exclusion = int(batch.row[i]), int(batch.exclusion[i])
    return reason(
        text,
        float(batch.z[i]),
        batch.row_names[row],
        batch.row_texts[row],
        Thresholds(core=batch.thresholds[0], adjacent=batch.thresholds[1]),
        exclusion_name=batch.exclusion_names[exclusion] if exclusion >= 0 else None,
        exclusion_z=float(batch.exclusion_z[i]),
    )


def open_store(url: str, migrate: bool = True) -> Repository:
    """`hoshin.store.open_store(url)` with this module's sentence writer: the store every part of
    Hoshin that reads verdicts opens."""
    from hoshin.store import open_store as open_plain

    return open_plain(url, migrate=migrate, reasons=batch_reason)
