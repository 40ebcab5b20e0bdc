"""The verdicts of one full re-score, kept as one row (`schema.verdict_batches`).

A re-score of a million ideas used to write a million `verdicts` rows, each with its `why` sentence:
writing the sentences and the rows took most of the re-score. A `VerdictBatch` holds the numbers
of every verdict as arrays (score, tier, the mission row that served best, the calibrated z, the
nearest exclusion and its z) plus the few texts all sentences draw on (theme names and texts,
exclusion names, thresholds). A record's `why` is written when someone reads it, by the sentence
writer the store was opened with (`BatchReasons`: the service's, service/verdict_reasons.py, the
same function that writes sentences at scoring time), so it reads exactly the same; the store itself
never writes a sentence. Sentences that cannot be rebuilt from the numbers (a reviewers' vote moved
the tier) are given whole with the batch (`whys`) and kept as they are.

The payload is an uncompressed .npz (no pickles): arrays as they are, everything else as JSON.

How long batches are kept (Repository.save_verdict_batch does this, in the transaction that stores a
new batch):
- A batch whose every record has a verdict in a newer batch of its kind is marked `covered`: reads
  of the newest verdicts (`verdict_summaries`, `newest_scores`, `verdicts(latest_only=True)`,
  `newest_verdicts`) skip it without reading or decoding its payload. A full re-score covers the one
  before it, so those reads decode one batch however many re-scores are stored.
- The newest HOSHIN_VERDICT_HISTORY batches (config.verdict_history) per organisation and record
  kind keep their payload; an older one has it emptied (`pruned_at`). Its `summary` (counts by tier
  and theme, `summarise`) and its stamps stay, so `Repository.verdict_batch_history` still tells
  what each re-score decided. Its single verdicts leave `verdicts(latest_only=False)` and backups.
  A verdict of a pruned batch that is still a record's newest (the record left out of every newer
  batch, e.g. deleted since) is first copied into an ordinary `verdicts` row, so no newest answer
  changes. Verdict rows, overrides and reviews are never touched.
"""

from __future__ import annotations

import io
import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

__all__ = ["TIER_CODES", "BatchReasons", "VerdictBatch", "decode", "encode", "summarise"]

TIER_CODES = ("core", "adjacent", "off")


@dataclass(frozen=True)
class VerdictBatch:
    """Verdicts of `record_ids` (one per position) and what their sentences are built from."""

    record_ids: list[str]
    score: np.ndarray  # float64
    tier: np.ndarray  # int8 index into TIER_CODES
    row: np.ndarray  # int32 index into row_names / row_texts: the mission row that served best
    z: np.ndarray  # float64 calibrated z
    exclusion: np.ndarray  # int32 index into exclusion_names, -1 when there are none
    exclusion_z: np.ndarray  # float64
    row_names: tuple[str, ...]  # the theme name a verdict shows for each mission row
    row_texts: tuple[str, ...]
    exclusion_names: tuple[str, ...]
    thresholds: tuple[float, float]  # (core, adjacent) the tiers were cut at
    whys: dict[int, str] = field(default_factory=dict)  # sentences kept whole, by position
    # Positions whose tier reviewers' examples decided -> the labelled idea that did (None when the
    # labels decided without one of that tier). Batches stored before this was kept have none.
    examples: dict[int, str | None] = field(default_factory=dict)
    # Sentences written for readers, by position: (text, the writer that wrote it, sentence).
    _built: dict[int, tuple[str, object, str]] = field(default_factory=dict, compare=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, compare=False, repr=False)
    _positions: dict[str, int] | None = field(default=None, compare=False, repr=False)

    def __len__(self) -> int:
        return len(self.record_ids)

    def position(self, record_id: str) -> int | None:
        """Where `record_id`'s verdict sits in the batch (None when it has none). The index is built
        on the first look-up and kept with the decoded batch, so a page of the inbox finds its
        hundred verdicts without walking a million ids."""
        positions = self._positions
        if positions is None:
            with self._lock:
                positions = self._positions
                if positions is None:
                    # A record listed twice keeps its last position: the verdict readers see.
                    positions = dict(zip(self.record_ids, range(len(self.record_ids)), strict=True))
                    object.__setattr__(self, "_positions", positions)  # frozen: set once, then read
        return positions.get(record_id)

    def tier_name(self, i: int) -> str:
        return TIER_CODES[int(self.tier[i])]

    def theme(self, i: int) -> str:
        return self.row_names[int(self.row[i])]

    def decided_by_example(self, i: int) -> bool:
        return i in self.examples

    def example_id(self, i: int) -> str | None:
        return self.examples.get(i)

    def why(self, i: int, text: str, reasons: BatchReasons) -> str:
        """The sentence of verdict i for the record's text: the one given whole with the batch, else
        the one `reasons` writes (asked once per text; the sentence is kept with the batch)."""
        kept = self.whys.get(i)
        if kept is not None:
            return kept
        built = self._built.get(i)
        if built is not None and built[0] == text and built[1] is reasons:
            return built[2]
        sentence = reasons(self, i, text)
        with self._lock:
            self._built[i] = (text, reasons, sentence)
        return sentence


#: Writes the sentence of verdict i of a batch for the record's text (the service's sentence
#: writer, given to the store when it is opened; see service/verdict_reasons.py).
BatchReasons = Callable[[VerdictBatch, int, str], str]


def encode(batch: VerdictBatch) -> bytes:
    meta = {
        "record_ids": batch.record_ids,
        "row_names": list(batch.row_names),
        "row_texts": list(batch.row_texts),
        "exclusion_names": list(batch.exclusion_names),
        "thresholds": list(batch.thresholds),
        "whys": {str(i): why for i, why in batch.whys.items()},
        "examples": {str(i): example for i, example in batch.examples.items()},
    }
    out = io.BytesIO()
    np.savez(
        out,
        meta=np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8),
        score=np.asarray(batch.score, dtype=np.float64),
        tier=np.asarray(batch.tier, dtype=np.int8),
        row=np.asarray(batch.row, dtype=np.int32),
        z=np.asarray(batch.z, dtype=np.float64),
        exclusion=np.asarray(batch.exclusion, dtype=np.int32),
        exclusion_z=np.asarray(batch.exclusion_z, dtype=np.float64),
    )
    return out.getvalue()


def summarise(batch: VerdictBatch) -> dict[str, dict[str, int]]:
    """How many verdicts of the batch fall in each tier and under each theme (what is left of a
    pruned batch): {"tiers": {tier: n}, "themes": {theme: n}}, every tier named, themes by name."""
    tiers = np.bincount(np.asarray(batch.tier, dtype=np.int64), minlength=len(TIER_CODES))
    themes: dict[str, int] = {}
    rows = np.bincount(np.asarray(batch.row, dtype=np.int64), minlength=len(batch.row_names))
    for name, count in zip(batch.row_names, rows.tolist(), strict=False):
        if count:  # several mission rows may show the same theme name
            themes[name] = themes.get(name, 0) + int(count)
    return {"tiers": {name: int(tiers[i]) for i, name in enumerate(TIER_CODES)}, "themes": themes}


def _decode(payload: bytes) -> VerdictBatch:
    with np.load(io.BytesIO(payload), allow_pickle=False) as data:
        meta = json.loads(data["meta"].tobytes().decode("utf-8"))
        arrays = {k: data[k] for k in ("score", "tier", "row", "z", "exclusion", "exclusion_z")}
    core, adjacent = meta["thresholds"]
    return VerdictBatch(
        record_ids=meta["record_ids"],
        row_names=tuple(meta["row_names"]),
        row_texts=tuple(meta["row_texts"]),
        exclusion_names=tuple(meta["exclusion_names"]),
        thresholds=(float(core), float(adjacent)),
        whys={int(i): why for i, why in meta["whys"].items()},
        examples={int(i): example for i, example in meta.get("examples", {}).items()},
        **arrays,
    )


# Decoded batches by (store URL, organisation, batch id, creation stamp): a stored batch never
# changes, and the sentences built for one page view serve the next. A few are kept.
_decoded: OrderedDict[tuple[object, ...], VerdictBatch] = OrderedDict()
_decoded_lock = threading.Lock()
_KEEP = 4


def decode(key: tuple[object, ...], payload: Callable[[], bytes], keep: bool = True) -> VerdictBatch:
    """The batch stored under `key`; `payload` reads its bytes when it is not decoded already.
    keep=False does not keep a batch it had to decode (one looked at once, when it is retired)."""
    with _decoded_lock:
        found = _decoded.get(key)
        if found is not None:
            _decoded.move_to_end(key)
            return found
    batch = _decode(payload())
    if not keep:
        return batch
    with _decoded_lock:
        _decoded[key] = batch
        while len(_decoded) > _KEEP:
            _decoded.popitem(last=False)
    return batch
