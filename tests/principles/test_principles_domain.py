"""The principles check reads what a sentence does to what a principle protects, not just its words."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from hoshin.domain.lexicon import stem
from hoshin.domain.principles import (
    concepts_by_meaning,
    given_up_objects,
    judge_principle,
    parse_principle,
    value_phrase,
)
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


# ---------------------------------------------------------------- fields beyond goods makers

FIELDS = Path(__file__).resolve().parents[2] / "eval" / "principles_fields.jsonl"


def close_verdict(principle: str, sentence: str, similarity: float = 0.3) -> str:
    """The verdict for a sentence the model found close to the principle (cosine `similarity`)."""
    return judge_principle(parse_principle(principle), [sentence], [similarity])["verdict"]


@pytest.mark.parametrize(
    ("principle", "sentence", "expected"),
    [
        # a check done after the act it should guard, put off, or left undone
        (
            "Safety comes before speed or cost.",
            "Pour the next slab before the engineer has inspected the rebar.",
            "contradicts",
        ),
        (
            "Accuracy comes before speed.",
            "Publish the story now and check the quotes later; we must be first.",
            "contradicts",
        ),
        (
            "Patient safety comes before speed or cost.",
            "To meet the budget, the infusion pumps will not be recalibrated this year.",
            "contradicts",
        ),
        # a flawed thing used for the sake of money, the value belittled, facts kept out
        (
            "We never trade safety for cost.",
            "Buy the cheaper scaffolding system that failed the load test.",
            "contradicts",
        ),
        (
            "Safety comes before speed or cost.",
            "Safety paperwork is a luxury we can't afford.",
            "contradicts",
        ),
        ("We never hide trial results.", "Leave the failed second trial out of the paper.", "contradicts"),
        # cost words that pay for the value support it
        ("We never trade safety for cost.", "We pay more for certified child-seat anchors.", "supports"),
        (
            "We never compromise safety to keep to the schedule.",
            "We will not dispatch an aircraft with an open defect, even if it costs us the slot.",
            "supports",
        ),
        (
            "Customer data is never shared without consent.",
            "The app asks before sharing anything with partners.",
            "supports",
        ),
        # cutting the traded thing itself is no trade
        (
            "Safety comes before speed or cost.",
            "Cut the cost of the site office by sharing it with the electricians.",
            "unrelated",
        ),
    ],
)
def test_stance_in_other_fields(principle: str, sentence: str, expected: str) -> None:
    assert close_verdict(principle, sentence) == expected


def test_a_sentence_far_from_the_principle_is_not_read_for_stance() -> None:
    """Giving something up for speed contradicts only what the sentence is about."""
    sentence = "Skip the Friday stand-up to ship sooner."
    assert close_verdict("Accuracy comes before speed.", sentence, similarity=0.05) == "unrelated"


def test_a_cut_counts_when_what_it_cuts_is_close_to_the_value() -> None:
    principle = parse_principle("Hygiene comes before speed in our kitchens.")
    sentence = "Skip the hand-washing step between orders when the queue is long."
    objects = {phrase: True for phrase in given_up_objects(sentence)}
    assert list(objects) == ["the hand-washing step"]
    assert judge_principle(principle, [sentence], [0.1])["verdict"] == "unrelated"
    assert judge_principle(principle, [sentence], [0.1], objects=objects)["verdict"] == "contradicts"


def test_passive_trade_off_and_value_concepts() -> None:
    parsed = parse_principle("Drivers' rest is never traded for delivery speed.")
    assert {stem("driver"), stem("rest")} <= parsed.protected
    assert stem("speed") in parsed.traded_for and "people" in parsed.concepts
    assert value_phrase("Patient safety comes before speed or cost.") == "Patient safety"
    assert concepts_by_meaning({"safety": 0.62, "people": 0.6, "privacy": 0.3}) == {"safety", "people"}
    assert concepts_by_meaning({"safety": 0.2}) == frozenset()
    assert "quality" in parse_principle("Our kitchens put hygiene first.", frozenset({"quality"})).concepts


def _fields() -> list[dict]:
    return [json.loads(line) for line in FIELDS.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_fields_set_covers_other_fields_and_every_label() -> None:
    items = _fields()
    fields = Counter(i["field"] for i in items)
    assert len(items) >= 60 and len(fields) >= 5 and min(fields.values()) >= 4
    assert not {"refrigerators", "security software"} & set(fields)
    assert set(Counter(i["label"] for i in items)) == {"contradicts", "supports", "unrelated"}
    assert len({i["id"] for i in items}) == len(items)


def _contradiction_pr(items: list[dict], embedder: object) -> tuple[float, float]:
    said = {}
    for principle in dict.fromkeys(i["principle"] for i in items):
        rows = [{"id": i["id"], "text": i["text"]} for i in items if i["principle"] == principle]
        for r in check_principles(principle, [{"id": "p", "text": principle}], rows, embedder):
            said[r["id"]] = r["verdict"] == "contradicts"
    truth = {i["id"]: i["label"] == "contradicts" for i in items}
    tp = sum(truth[k] and said[k] for k in truth)
    return tp / max(1, sum(said.values())), tp / sum(truth.values())


def test_fields_set_with_words_alone() -> None:
    """Without a measured model (hashing embedder) the stance rules alone find most contradictions
    in fields the word lists were not written from (0.11 recall before they read stance)."""
    precision, recall = _contradiction_pr(_fields(), HashingEmbedder())
    assert precision >= 0.9 and recall >= 0.55, (precision, recall)


@pytest.mark.model
def test_fields_set_with_the_model() -> None:
    from hoshin.service.texts import default_embedder

    precision, recall = _contradiction_pr(_fields(), default_embedder("minilm"))
    assert precision >= 0.9 and recall >= 0.78, (precision, recall)  # 0.98 / 0.80


@pytest.mark.model
def test_held_out_fields_with_the_model() -> None:
    """The held-out set of issue 21 (ten fields the rules were not written from): 0.89 / 0.21 before
    the stance reading by shape, 0.98 / 0.58 after."""
    from hoshin.service.texts import default_embedder

    path = SET.with_name("principles_heldout.jsonl")
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(items) >= 120 and len({i["field"] for i in items}) >= 2
    precision, recall = _contradiction_pr(items, default_embedder("minilm"))
    assert precision >= 0.9 and recall >= 0.55, (precision, recall)


@pytest.mark.model
def test_unseen_values_are_read_through_the_model() -> None:
    """Values no word list names (hygiene, security) still have their cuts found, and cost accepted
    for them still supports."""
    from hoshin.service.texts import default_embedder

    cases = {
        "Skip the hand-washing step between orders when the queue is long.": "contradicts",
        "Every board is sanitised after each use, even at the lunch rush.": "supports",
        "New menus for the terrace from June.": "unrelated",
    }
    rows = [{"id": str(n), "text": t} for n, t in enumerate(cases)]
    principle = "Hygiene comes before speed in our kitchens."
    got = check_principles(principle, [{"id": "p", "text": principle}], rows, default_embedder("minilm"))
    assert [r["verdict"] for r in got] == list(cases.values())
    security = "Security is never traded for convenience."
    text = "Ship the release without the penetration test; customers are waiting."
    result = check_principles(
        security, [{"id": "p", "text": security}], [{"id": "x", "text": text}], default_embedder("minilm")
    )
    assert result[0]["verdict"] == "contradicts" and result[0]["evidence"] == text


@pytest.mark.model
def test_the_model_adds_no_flags_to_texts_that_keep_the_principle() -> None:
    """Meaning widens what a cut may act on, never what the principle itself ranks lower."""
    from hoshin.service.texts import default_embedder

    cases = [
        (
            "We repair before we replace.",
            "A fridge that is repaired instead of replaced is good for the planet.",
        ),
        ("Every watt counts.", "Cut the electricity and gas used to build one refrigerator by 30%."),
        (
            "We only promise what we have tested.",
            "We compare cabinets with and without panels to confirm the gain.",
        ),
    ]
    embedder = default_embedder("minilm")
    for principle, text in cases:
        (row,) = check_principles(
            principle, [{"id": "p", "text": principle}], [{"id": "x", "text": text}], embedder
        )
        assert row["verdict"] != "contradicts", (principle, text, row["why"])


@pytest.mark.model
def test_the_issue_examples_contradict_and_same_topic_texts_stay_unrelated() -> None:
    """Issue 21: a flawed part bought for its price and a sign-off skipped to save time contradict a
    safety principle; texts on the same things that give nothing up stay unrelated."""
    from hoshin.service.texts import default_embedder

    embedder = default_embedder("minilm")
    cases = [
        (
            "We never trade safety for cost.",
            "Buy the cheaper brake pads that failed the durability test",
            "contradicts",
        ),
        ("We never trade safety for cost.", "The brake pads are delivered on Tuesdays.", "unrelated"),
        (
            "Safety comes before speed or cost.",
            "Skip the second sign-off on dosage changes to save nurse time",
            "contradicts",
        ),
        ("Safety comes before speed or cost.", "Nurses record dosage changes in the new app.", "unrelated"),
        ("Safety comes before speed or cost.", "Skip the weekly team lunch to save nurse time.", "unrelated"),
    ]
    for principle, text, expected in cases:
        (row,) = check_principles(
            principle, [{"id": "p", "text": principle}], [{"id": "x", "text": text}], embedder
        )
        assert row["verdict"] == expected, (principle, text, row["why"])


@pytest.mark.model
def test_strong_give_ups_contradict_far_from_the_principle_words() -> None:
    """A safeguard switched off, skipped or left out breaks a principle whose words it does not share
    (alarms against a miner's life, a temperature log against hygiene, a merge without review), while
    a motive or a dismissive word alone in a text on another subject does not."""
    from hoshin.service.texts import default_embedder

    embedder = default_embedder("minilm")
    miners = "No production target justifies risking a miner's life."
    cases = [
        (miners, "Disable the proximity alarms to keep the shift on schedule.", "contradicts"),
        (miners, "Disable the proximity alarms on the haul trucks.", "contradicts"),
        (miners, "The canteen at the pithead adds a vegetarian option.", "unrelated"),
        (
            "We never cut corners on food hygiene.",
            "Skip the freezer temperature checks on Sundays.",
            "contradicts",
        ),
        ("We never cut corners on food hygiene.", "The kitchen gets a new menu in spring.", "unrelated"),
        (
            "We never ship code that has not been reviewed.",
            "Merge the patch straight into the release branch without a second pair of eyes.",
            "contradicts",
        ),
        ("Safety comes before speed or cost.", "Speed up invoicing by sending bills by email.", "unrelated"),
    ]
    for principle, text, expected in cases:
        (row,) = check_principles(
            principle, [{"id": "p", "text": principle}], [{"id": "x", "text": text}], embedder
        )
        assert row["verdict"] == expected, (principle, text, row["why"])


@pytest.mark.parametrize(
    ("principle", "sentence", "expected"),
    [
        # a rule relaxed: a permission with a safeguard left out
        (
            "Children's safety comes before convenience.",
            "Parents may collect children without the pickup card.",
            "contradicts",
        ),
        # a lack alone breaks a principle that guards against it
        (
            "We never ship code that has not been reviewed.",
            "Merge the hotfix straight to main without a pull request.",
            "contradicts",
        ),
        (
            "We never ship code that has not been reviewed.",
            "Every pull request needs two approvals.",
            "supports",
        ),
        # a choice made for money, said as the reason
        (
            "Clean water before cheap water.",
            "Test the reservoirs monthly instead of weekly to save lab fees.",
            "contradicts",
        ),
        # a cost accepted for the value is not a reason to give it up
        (
            "Safety comes first, punctuality second.",
            "We lowered speed limits on the line, even though journeys take longer.",
            "supports",
        ),
        # figures dressed up
        (
            "We report figures honestly.",
            "Round the loss down to break-even in the investor deck.",
            "contradicts",
        ),
        # "so it can": an aim, not a rule relaxed (nothing strengthened either)
        (
            "Children's safety comes before convenience.",
            "Fit gates so children can play without falling down the stairs.",
            "unrelated",
        ),
    ],
)
def test_shapes_of_giving_a_value_up(principle: str, sentence: str, expected: str) -> None:
    assert close_verdict(principle, sentence) == expected


def test_principle_phrasings() -> None:
    """'No X justifies Y' ranks Y above X; 'before' that only says when ranks nothing."""
    miners = parse_principle("No production target justifies risking a miner's life.")
    assert stem("production") in miners.traded_for and "safety" in miners.concepts
    assert not miners.forbidden
    owners = parse_principle("We always tell owners the full cost before treatment.")
    assert not owners.traded_for
    assert parse_principle("Safety before speed.").traded_for == {stem("speed")}
    assert parse_principle("We never sign off accounts we have not verified.").guards_lack
    assert (
        stem("verified") not in parse_principle("We never sign off accounts we have not verified.").forbidden
    )
