"""Stored re-score batches do not pile up: newest-verdict reads skip batches a newer one replaces,
only the newest HOSHIN_VERDICT_HISTORY keep their verdicts, and nothing a reader of the newest
verdicts sees changes. Every test runs on SQLite and on PostgreSQL (the `repo` fixture)."""

from __future__ import annotations

import io
import json
from collections import Counter
from dataclasses import replace
from typing import Any

import numpy as np
import pytest
from sqlalchemy import create_engine, select, text

from hoshin.config import verdict_history
from hoshin.errors import ConfigError, InputError
from hoshin.service.verdict_reasons import batch_reason
from hoshin.service.verdict_reasons import open_store as service_store
from hoshin.store import open_store, schema, verdict_batches
from hoshin.store.verdict_batches import TIER_CODES, VerdictBatch

ORG = "o"
THEMES = ("Quiet kitchens", "Cold chain", "Quiet kitchens")  # two mission rows show one theme


def make_batch(ids: list[str], seed: int) -> VerdictBatch:
    rng = np.random.default_rng(seed)
    n = len(ids)
    return VerdictBatch(
        record_ids=list(ids),
        score=rng.random(n),
        tier=rng.integers(0, 3, n).astype(np.int8),
        row=rng.integers(0, len(THEMES), n).astype(np.int32),
        z=rng.normal(size=n),
        exclusion=np.full(n, -1, dtype=np.int32),
        exclusion_z=np.zeros(n),
        row_names=THEMES,
        row_texts=("quiet fridges", "keeping food cold", "silent compressors"),
        exclusion_names=(),
        thresholds=(1.0, 0.0),
    )


class Replay:
    """Stores verdicts and batches and remembers, independently of the store, each record's newest
    verdict (the last one stored wins): the answer every newest-verdict read must give."""

    def __init__(self, repo: Any) -> None:
        self.repo = repo
        self.newest: dict[str, tuple[float, str, str | None, int]] = {}
        self.batches: list[VerdictBatch] = []
        self.version = 0

    def rows(self, ids: list[str], score: float) -> None:
        self.version += 1
        items = [(i, {"score": score, "tier": "off", "theme": "Cold chain", "why": f"row {i}"}) for i in ids]
        self.repo.save_verdicts(ORG, "idea", items, model_id="m", mission_version=self.version)
        for i in ids:
            self.newest[i] = (score, "off", "Cold chain", self.version)

    def batch(self, ids: list[str], keep: int = 10) -> VerdictBatch:
        self.version += 1
        batch = make_batch(ids, seed=len(self.batches))
        self.repo.save_verdict_batch(
            ORG, "idea", batch, model_id="m", mission_version=self.version, keep=keep
        )
        for i, record_id in enumerate(ids):
            self.newest[record_id] = (
                float(batch.score[i]),
                batch.tier_name(i),
                batch.theme(i),
                self.version,
            )
        self.batches.append(batch)
        return batch

    def check(self) -> None:
        """Every reader of newest verdicts agrees with the replay."""
        want = {i: (s, t, th) for i, (s, t, th, _) in self.newest.items()}
        assert self.repo.newest_scores(ORG, "idea") == want
        summaries = self.repo.verdict_summaries(ORG, ["idea"])["idea"]
        assert {i: (v["score"], v["tier"], v["theme"]) for i, v in summaries.items()} == want
        assert {i: v["mission_version"] for i, v in summaries.items()} == {
            i: n[3] for i, n in self.newest.items()
        }
        latest = self.repo.verdicts(ORG, "idea")
        assert len(latest) == len(want)
        assert {v["record_id"]: (v["score"], v["tier"], v["theme"]) for v in latest} == want
        some = sorted(want)[::3] + ["NO-SUCH-IDEA"]
        page = self.repo.newest_verdicts(ORG, "idea", some)
        assert {i: (v["score"], v["tier"], v["theme"]) for i, v in page.items()} == {
            i: want[i] for i in some[:-1]
        }


def ideas(repo: Any, ids: list[str]) -> None:
    repo.upsert("ideas", ORG, [{"id": i, "text": f"Make the fridge quieter, plan {i}"} for i in ids])


def stored_batches(repo: Any) -> list[Any]:
    b = schema.verdict_batches
    with repo._reading() as conn:
        query = select(b.c.id, b.c.covered, b.c.pruned_at, b.c.payload).where(b.c.organisation_id == ORG)
        return conn.execute(query.order_by(b.c.id)).all()


@pytest.fixture
def replay(repo: Any) -> Replay:
    repo.create_organisation(ORG, "Org")
    return Replay(repo)


@pytest.fixture
def decodes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The size of every batch decoded from its payload, with nothing decoded kept from before."""
    seen: list[int] = []
    real = verdict_batches._decode

    def counting(payload: bytes) -> VerdictBatch:
        batch = real(payload)
        seen.append(len(batch))
        return batch

    monkeypatch.setattr(verdict_batches, "_decode", counting)
    verdict_batches._decoded.clear()
    return seen


def test_newest_reads_skip_replaced_batches_and_answer_as_before(replay: Replay, decodes: list[int]) -> None:
    everyone = [f"I-{i:03d}" for i in range(40)]
    ideas(replay.repo, everyone)
    replay.rows(everyone[:10], 0.11)  # rows older than every batch
    replay.batch(everyone[:30])  # 30 ideas; I-000..I-029
    replay.rows(everyone[5:8], 0.22)  # rows between batches
    replay.batch(everyone[1:35])  # leaves I-000 out: the first batch still holds its newest verdict
    replay.rows(everyone[30:32], 0.33)  # rows newer than the second batch
    replay.batch(everyone[1:36])  # replaces the second batch entirely
    assert [(r.covered, r.pruned_at) for r in stored_batches(replay.repo)] == [
        (False, None),
        (True, None),
        (False, None),
    ]
    history = replay.repo.verdicts(ORG, "idea", latest_only=False)
    assert len(history) == 10 + 30 + 3 + 34 + 2 + 35  # nothing pruned: the whole history reads

    decodes.clear()
    verdict_batches._decoded.clear()
    replay.check()
    assert sorted(decodes) == [30, 35]  # the second batch (34) was never decoded

    # Keeping the newest verdict of each record while reading everything, as before this change:
    newest_of_history = {v["record_id"]: (v["score"], v["tier"], v["theme"]) for v in history}
    assert newest_of_history == {i: n[:3] for i, n in replay.newest.items()}

    replay.batch(everyone)  # a re-score of every idea: every older batch is replaced
    assert [r.covered for r in stored_batches(replay.repo)] == [True, True, True, False]
    decodes.clear()
    verdict_batches._decoded.clear()
    replay.check()
    assert decodes == [40]


def test_only_the_newest_n_batches_keep_their_verdicts(replay: Replay) -> None:
    everyone = [f"I-{i:03d}" for i in range(25)]
    ideas(replay.repo, everyone)
    replay.rows(everyone[:4], 0.5)
    sizes = []
    for n in range(6):
        ids = everyone[: 20 + n]  # ideas keep arriving between re-scores
        replay.batch(ids, keep=3)
        sizes.append(len(ids))
        kept = [r for r in stored_batches(replay.repo) if r.pruned_at is None]
        assert len(kept) == min(n + 1, 3)
    rows = stored_batches(replay.repo)
    assert [r.pruned_at is None for r in rows] == [False, False, False, True, True, True]
    assert all(r.payload == b"" and r.covered for r in rows[:3])
    assert all(len(r.payload) > 0 for r in rows[3:])
    replay.check()

    # The history keeps the verdicts of the kept batches, and of the pruned ones their counts.
    history = replay.repo.verdicts(ORG, "idea", latest_only=False)
    assert len(history) == 4 + sum(sizes[3:])
    assert Counter(v["mission_version"] for v in history) == Counter({1: 4, 5: 23, 6: 24, 7: 25})
    runs = replay.repo.verdict_batch_history(ORG, "idea")
    assert [r["kept"] for r in runs] == [False, False, False, True, True, True]
    assert [r["size"] for r in runs] == sizes
    for run, batch in zip(runs, replay.batches, strict=True):
        tiers = Counter(batch.tier_name(i) for i in range(len(batch)))
        assert run["tiers"] == {t: tiers.get(t, 0) for t in TIER_CODES}
        assert run["themes"] == dict(Counter(batch.theme(i) for i in range(len(batch))))
        assert sum(run["themes"].values()) == len(batch)


def test_pruning_keeps_a_newest_verdict_no_newer_batch_holds(replay: Replay) -> None:
    everyone = [f"I-{i:03d}" for i in range(12)]
    ideas(replay.repo, everyone)
    replay.batch(everyone)
    replay.repo.delete("ideas", ORG, "I-000")  # gone from the store, its verdicts stay
    replay.rows(["I-001"], 0.9)  # a row newer than the first batch: it stays the newest
    before = {v["record_id"]: v for v in replay.repo.verdicts(ORG, "idea")}
    replay.batch(everyone[2:], keep=1)  # I-000 and I-001 are left out of the new re-score
    rows = stored_batches(replay.repo)
    assert [(r.pruned_at is None, r.covered) for r in rows] == [(False, True), (True, False)]
    replay.check()
    after = {v["record_id"]: v for v in replay.repo.verdicts(ORG, "idea")}
    # I-000's verdict is the first batch's, sentence included, now kept as an ordinary row.
    assert after["I-000"]["why"] == before["I-000"]["why"]
    assert after["I-000"]["created_at"] == before["I-000"]["created_at"]
    assert after["I-001"]["why"] == "row I-001"
    plain = [v for v in replay.repo.verdicts(ORG, "idea", latest_only=False) if v["id"] is not None]
    assert sorted(v["record_id"] for v in plain) == ["I-000", "I-001"]  # one copied, none for I-001

    replay.batch(everyone[2:], keep=1)  # once more: the copied row stays the newest of I-000
    replay.check()


def test_backup_after_pruning_holds_the_kept_history(replay: Replay, snapshot: Any) -> None:
    everyone = [f"I-{i:03d}" for i in range(10)]
    ideas(replay.repo, everyone)
    for _ in range(4):
        replay.batch(everyone, keep=2)
    data = snapshot(replay.repo, ORG)
    assert len(data["verdicts"]) == 2 * len(everyone)
    assert {v["mission_version"] for v in data["verdicts"]} == {3, 4}


@pytest.mark.parametrize("value", ["0", "-2", "ten", "2.5", ""])
def test_a_bad_history_setting_is_refused_by_name(
    value: str, monkeypatch: pytest.MonkeyPatch, replay: Replay
) -> None:
    monkeypatch.setenv("HOSHIN_VERDICT_HISTORY", value)
    with pytest.raises(ConfigError, match="HOSHIN_VERDICT_HISTORY must be"):
        verdict_history()
    ideas(replay.repo, ["I-1"])
    with pytest.raises(ConfigError, match="HOSHIN_VERDICT_HISTORY"):
        replay.repo.save_verdict_batch(ORG, "idea", make_batch(["I-1"], 0), model_id="m", mission_version=1)
    assert stored_batches(replay.repo) == []  # refused before anything was stored
    with pytest.raises(InputError, match="keep"):
        replay.repo.save_verdict_batch(
            ORG, "idea", make_batch(["I-1"], 0), model_id="m", mission_version=1, keep=0
        )


def test_the_history_setting_reads_whole_numbers(monkeypatch: pytest.MonkeyPatch, replay: Replay) -> None:
    monkeypatch.delenv("HOSHIN_VERDICT_HISTORY", raising=False)
    assert verdict_history() == 10
    monkeypatch.setenv("HOSHIN_VERDICT_HISTORY", " 2 ")
    assert verdict_history() == 2
    ids = [f"I-{i}" for i in range(5)]
    ideas(replay.repo, ids)
    for seed in range(4):
        replay.repo.save_verdict_batch(ORG, "idea", make_batch(ids, seed), model_id="m", mission_version=seed)
    assert [r.pruned_at is None for r in stored_batches(replay.repo)] == [False, False, True, True]


def test_batches_stored_before_the_migration_are_retired_by_the_next_save(store_url: str) -> None:
    """A database at migration 2 (batches without covered/summary/pruned_at) is brought to head;
    its old batches read as before, show counts in the history, and are pruned like any other."""
    ids = [f"I-{i}" for i in range(6)]
    with open_store(store_url) as repo:
        repo.create_organisation(ORG, "Org")
        ideas(repo, ids)
        for seed in range(2):
            repo.save_verdict_batch(ORG, "idea", make_batch(ids, seed), model_id="m", mission_version=seed)
    engine = create_engine(store_url)
    with engine.begin() as conn:  # back to how migration 2 left the table
        for column in ("covered", "summary", "pruned_at"):
            conn.execute(text(f"ALTER TABLE verdict_batches DROP COLUMN {column}"))
        # Later migrations are undone too: they find their columns and change nothing.
        conn.execute(text("DELETE FROM hoshin_migrations WHERE version >= 3"))
    engine.dispose()
    verdict_batches._decoded.clear()
    with open_store(store_url) as repo:
        rows = stored_batches(repo)
        assert [(r.covered, r.pruned_at) for r in rows] == [(False, None), (False, None)]
        newest = make_batch(ids, 1)
        assert repo.newest_scores(ORG, "idea") == {
            i: (float(newest.score[n]), newest.tier_name(n), newest.theme(n)) for n, i in enumerate(ids)
        }
        assert [r["kept"] for r in repo.verdict_batch_history(ORG)] == [True, True]
        repo.save_verdict_batch(ORG, "idea", make_batch(ids, 2), model_id="m", mission_version=2, keep=1)
        assert [(r.covered, r.pruned_at is None) for r in stored_batches(repo)] == [
            (True, False),
            (True, False),
            (False, True),
        ]
        runs = repo.verdict_batch_history(ORG)
        assert [sum(r["tiers"].values()) for r in runs] == [6, 6, 6]
        first = make_batch(ids, 0)
        tiers = Counter(first.tier_name(n) for n in range(6))
        assert runs[0]["tiers"] == {t: tiers.get(t, 0) for t in TIER_CODES}


def test_a_skipped_batch_still_holds_back_a_later_one_stored_with_an_older_stamp(replay: Replay) -> None:
    """Two re-scores saved at once can leave the later one with a smaller `after_verdict`; it still
    reads after the earlier one, and after the rows that one came after, when the earlier is skipped."""
    everyone = [f"I-{i}" for i in range(6)]
    ideas(replay.repo, everyone)
    replay.rows(everyone[:5], 0.1)
    replay.rows(everyone[5:], 0.2)  # the newest row when both batches were stored
    replay.batch(everyone)
    replay.batch(everyone)  # covers the first
    b = schema.verdict_batches
    with replay.repo.transaction() as conn:
        last = conn.execute(select(b.c.id).order_by(b.c.id.desc()).limit(1)).scalar_one()
        newest_row = conn.execute(select(schema.verdicts.c.id).order_by(schema.verdicts.c.id.desc())).scalar()
        conn.execute(b.update().where(b.c.id == last).values(after_verdict=newest_row - 1))
    assert [r.covered for r in stored_batches(replay.repo)] == [True, False]
    replay.check()  # I-5 reads the second batch's verdict, not its row


def test_the_store_writes_no_sentence_but_asks_the_writer_it_was_opened_with(store_url: str) -> None:
    batch = make_batch(["I-1", "I-2"], seed=7)
    with open_store(store_url) as plain:  # no writer of sentences
        plain.create_organisation(ORG, "Org")
        ideas(plain, ["I-1", "I-2"])
        plain.save_verdict_batch(ORG, "idea", batch, model_id="m", mission_version=1)
        assert set(plain.newest_scores(ORG, "idea")) == {"I-1", "I-2"}  # numbers need no sentence
        with pytest.raises(ConfigError, match="without a writer of verdict sentences"):
            plain.verdicts(ORG, "idea")
    asked: list[tuple[str, str]] = []

    def writer(got: VerdictBatch, i: int, text: str) -> str:
        asked.append((got.record_ids[i], text))
        return f"{got.theme(i)}: {text}"

    with open_store(store_url, reasons=writer) as repo:
        for _ in range(2):  # the second read is answered from the sentence kept with the batch
            page = repo.newest_verdicts(ORG, "idea", ["I-1"])
            assert page["I-1"]["why"] == f"{batch.theme(0)}: Make the fridge quieter, plan I-1"
        assert asked == [("I-1", "Make the fridge quieter, plan I-1")]
    with service_store(store_url) as repo:  # the service's writer: its own sentences, not the above
        want = batch_reason(batch, 0, "Make the fridge quieter, plan I-1")
        assert repo.newest_verdicts(ORG, "idea", ["I-1"])["I-1"]["why"] == want


def test_a_batch_keeps_which_verdicts_an_example_decided_through_pruning(replay: Replay) -> None:
    everyone = [f"I-{i:03d}" for i in range(6)]
    ideas(replay.repo, everyone)
    batch = replace(make_batch(everyone, seed=3), examples={0: "I-005", 2: None})
    replay.repo.save_verdict_batch(ORG, "idea", batch, model_id="m", mission_version=1)

    def flags() -> dict[str, tuple[bool, str | None]]:
        found = replay.repo.verdicts(ORG, "idea")
        return {v["record_id"]: (v["decided_by_example"], v["example_id"]) for v in found}

    want = {i: (False, None) for i in everyone} | {"I-000": (True, "I-005"), "I-002": (True, None)}
    assert flags() == want
    page = replay.repo.newest_verdicts(ORG, "idea", ["I-000", "I-001"])
    assert [(page[i]["decided_by_example"], page[i]["example_id"]) for i in ("I-000", "I-001")] == [
        (True, "I-005"),
        (False, None),
    ]
    # A newer batch leaves I-000 out and prunes this one: its verdict is kept as a row, flag and all.
    newer = make_batch(everyone[1:], 4)
    replay.repo.save_verdict_batch(ORG, "idea", newer, model_id="m", mission_version=2, keep=1)
    assert flags()["I-000"] == (True, "I-005") and flags()["I-002"] == (False, None)


def test_a_batch_payload_from_before_examples_were_kept_reads_as_none_decided() -> None:
    batch = replace(make_batch(["I-1", "I-2"], seed=1), examples={1: "I-9"})
    assert verdict_batches._decode(verdict_batches.encode(batch)).examples == {1: "I-9"}
    with np.load(io.BytesIO(verdict_batches.encode(batch))) as data:
        arrays = {k: data[k] for k in data.files}
    meta = json.loads(arrays["meta"].tobytes())
    del meta["examples"]  # as batches were stored before
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    old = io.BytesIO()
    np.savez(old, **arrays)
    decoded = verdict_batches._decode(old.getvalue())
    assert decoded.examples == {} and not decoded.decided_by_example(1) and decoded.example_id(1) is None
