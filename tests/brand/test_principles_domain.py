"""The principles check reads what a sentence does to what a principle protects, not just its words."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from hoshin.domain.principles import judge_principle, parse_principle
from hoshin.embedding import HashingEmbedder
from hoshin.service.texts import check_principles

SET = Path(__file__).resolve().parents[2] / "eval" / "principles_set.jsonl"


def verdict(principle: str, sentence: str) -> str:
    return judge_principle(parse_principle(principle), [sentence], [0.0])["verdict"]


@pytest.mark.parametrize(
    ("principle", "sentence", "expected"),
    [
        # cutting a harm keeps the principle; adding to a burden for speed breaks it
        (
            "We protect the planet in everything we do.",
            "The brand halves the emissions of its supply chain.",
            "supports",
        ),
        (
            "The wellbeing of our staff comes before deadlines.",
            "Extend shifts to twelve hours to deliver faster.",
            "contradicts",
        ),
        # "without cutting" rules the cut out
        (
            "The wellbeing of our staff comes before deadlines.",
            "A four-day week for all staff without cutting pay.",
            "supports",
        ),
        # a negated violation keeps the principle
        (
            "We tell customers the truth, even when it costs us a sale.",
            "No hidden fees for our customers.",
            "supports",
        ),
        (
            "We tell customers the truth, even when it costs us a sale.",
            "They hid the flood damage from the customer.",
            "contradicts",
        ),
        # the reducing word must act on what is protected
        (
            "We never trade safety for cost.",
            "If the power is cut during a test run, restart the cycle.",
            "unrelated",
        ),
        (
            "We never trade safety for cost.",
            "The crane safety checks will be skipped this quarter.",
            "contradicts",
        ),
        ("We repair before we replace.", "It is repaired instead of replaced.", "unrelated"),
        ("We repair before we replace.", "Don't bother with repairs, we scrap it.", "contradicts"),
        ("Every product is tested before it ships.", "Trial parts pass the drop test.", "unrelated"),
    ],
)
def test_stance_rules(principle: str, sentence: str, expected: str) -> None:
    assert verdict(principle, sentence) == expected


def test_labelled_set_is_large_balanced_and_varied() -> None:
    items = [json.loads(line) for line in SET.read_text(encoding="utf-8").splitlines() if line.strip()]
    labels = Counter(i["label"] for i in items)
    assert len(items) >= 150 and set(labels) == {"contradicts", "supports", "unrelated"}
    assert max(labels.values()) - min(labels.values()) <= 0.1 * len(items)
    assert len({i["style"] for i in items}) >= 5 and len({i["principle"] for i in items}) >= 10
    assert len({i["id"] for i in items}) == len(items)


def test_contradicts_keeps_precision_and_recall_on_the_labelled_set() -> None:
    """The target of the principles check (precision >= 0.8 at recall >= 0.7), with the hashing
    embedder so it runs anywhere; eval/eval_principles.py measures the packaged model as well."""
    items = [json.loads(line) for line in SET.read_text(encoding="utf-8").splitlines() if line.strip()]
    embedder = HashingEmbedder()
    said = {}
    for principle in dict.fromkeys(i["principle"] for i in items):
        rows = [{"id": i["id"], "text": i["text"]} for i in items if i["principle"] == principle]
        for r in check_principles(principle, [{"id": "p", "text": principle}], rows, embedder):
            said[r["id"]] = r["verdict"] == "contradicts"
    truth = {i["id"]: i["label"] == "contradicts" for i in items}
    tp = sum(truth[k] and said[k] for k in truth)
    precision = tp / max(1, sum(said.values()))
    recall = tp / sum(truth.values())
    assert precision >= 0.8 and recall >= 0.7, (precision, recall)
