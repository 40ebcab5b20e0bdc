"""Domain units of mission analysis, brand and principles, with cue words and the hashing test double."""

from __future__ import annotations

import numpy as np
import pytest

from hoshin.domain.brand import BrandAttribute, assess_brand, attribute_prototypes, derive_attributes
from hoshin.domain.lexicon import cue_list, find_cues, is_negated, split_sentences, split_units, stem, tokens
from hoshin.domain.mission_analysis import (
    COMPONENTS,
    PROTOTYPES,
    SimilarityProfile,
    analyze_statement,
    specificity,
)
from hoshin.domain.principles import judge_principle, parse_principle
from hoshin.embedding import HashingEmbedder


def present(text: str) -> set[str]:
    analysis = analyze_statement(text)
    return {name for name, finding in analysis.components.items() if finding.present}


# ---------------------------------------------------------------- lexicon


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("families", "family"),
        ("produced", "produce"),
        ("refrigerators", "refrigerator"),
        ("tested", "testing"),
        ("shipped", "ship"),
        ("reliably", "reliable"),
        ("humanity", "human"),
        ("regional", "region"),
        ("dangerous", "danger"),
    ],
)
def test_stem_makes_word_forms_meet(a: str, b: str) -> None:
    assert stem(a) == stem(b)


def test_stem_keeps_different_words_apart() -> None:
    assert stem("supply") != stem("sup") and stem("family") != stem("fame")
    # Endings left out on purpose: each merged words that the cue lists keep apart.
    assert stem("customer") != stem("custom") and stem("investments") != stem("investing")
    assert stem("information") != stem("inform")


def test_one_stemmer_and_stop_word_list_for_engine_and_cues() -> None:
    from hoshin.domain import lexicon, text

    assert stem is text.stem
    assert lexicon.STOPWORDS is text.STOP_WORDS


def test_sentences_strip_bullets_quotes_and_blank_lines() -> None:
    text = '  - We make fridges.\n\n* "Quality first!" Then more...\n1) Bullet 😀\n\n   \n'
    assert split_sentences(text) == ["We make fridges.", "Quality first!", "Then more...", "Bullet 😀"]


def test_units_split_clauses_and_cap_length() -> None:
    units = split_units("We bake bread; we deliver it — every morning. " + "Word " * 100)
    assert units[:3] == ["We bake bread", "we deliver it", "every morning"]
    assert all(len(u.split()) <= 40 for u in units)


def test_cues_match_stems_and_prefer_longer_phrases() -> None:
    toks = tokens("Skilled people who care for the planet")
    found = find_cues(toks, cue_list("care, care for the planet, people"))
    assert [m.cue.phrase for m in found] == ["people", "care for the planet"]


def test_negation_looks_back_a_few_words() -> None:
    toks = tokens("We never skip a test")
    assert is_negated(toks, 2) and not is_negated(toks, 0)


# ---------------------------------------------------------------- mission analysis


def test_short_product_mission_states_products_only() -> None:
    found = present("To produce reliable refrigerators.")
    assert "products" in found
    assert not found & {"customers", "markets", "employees", "philosophy"}


def test_rich_mission_states_five_components_with_evidence() -> None:
    text = (
        "We serve families across Europe with reliable, energy-saving refrigerators, "
        "built by skilled people who care for the planet."
    )
    analysis = analyze_statement(text)
    for name in ("customers", "markets", "products", "employees", "philosophy"):
        finding = analysis.components[name]
        assert finding.present, name
        assert finding.evidence and finding.evidence in text
    assert "Europe" in analysis.components["markets"].evidence


def test_missing_and_suggestions_name_what_is_absent() -> None:
    analysis = analyze_statement("To produce reliable refrigerators.").as_dict()
    assert set(analysis["missing"]) == set(COMPONENTS) - {"products"}
    assert any("whom you serve" in s for s in analysis["suggestions"])
    assert list(analysis["components"]) == list(COMPONENTS)


def test_cue_words_in_other_languages() -> None:
    assert {"products", "customers", "markets"} <= present(
        "Wir liefern Produkte für unsere Kunden in ganz Europa."
    )


def test_specificity_rewards_concrete_words_and_names_them() -> None:
    concrete, words = specificity("We deliver 40,000 meals a day to hospitals in Lisbon and Porto.")
    vague, vague_words = specificity("We leverage synergies to deliver world-class innovative solutions.")
    assert concrete > 0.7 > 0.3 > vague
    assert "Lisbon" in words["concrete"] and "40,000" in words["concrete"]
    assert "synergies" in vague_words["generic"]


def test_embedding_similarity_can_add_a_component_without_cues() -> None:
    embedder = HashingEmbedder()
    text = "Our values and beliefs guide everything we do!"
    units = split_units(text)
    prototypes = {name: embedder.embed(list(p)) for name, p in PROTOTYPES.items()}
    strict = SimilarityProfile(alone=2.0, with_weak_cue=2.0)
    loose = SimilarityProfile(alone=0.5, with_weak_cue=0.3)
    without = analyze_statement(
        "Guide everything we do!",
        split_units("Guide everything we do!"),
        embedder.embed(["Guide everything we do"]),
        prototypes,
        strict,
    )
    assert not without.components["philosophy"].present
    with_sim = analyze_statement(text, units, embedder.embed(units), prototypes, loose)
    assert with_sim.components["philosophy"].present


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "x",
        "😀🚀",
        "!!!???",
        "\n\n- \n* ",
        '""',
        "Ünïcödé çà et là",
        "a" * 5000,
        "We. " * 500,
        "日本の冷蔵庫",
        "— – - ; : ,",
        "1) 2) 3)",
        "\t\r\n",
    ],
)
def test_odd_shapes_never_crash(text: str) -> None:
    result = analyze_statement(text).as_dict()
    assert 0.0 <= result["specificity"] <= 1.0
    assert set(result["components"]) == set(COMPONENTS)


# ---------------------------------------------------------------- brand


def test_derive_attributes_from_mission_wording() -> None:
    found = derive_attributes("We make reliable fridges and care for the planet.")
    assert found == [
        {"name": "Reliability", "source_phrase": "reliable"},
        {"name": "Sustainability", "source_phrase": "care for the planet"},
    ]
    assert derive_attributes("Hello.") == []


def _brand(mission: str, text: str, topicality: float) -> dict:
    embedder = HashingEmbedder()
    attributes = [BrandAttribute.from_dict(a) for a in derive_attributes(mission)]
    sentences = split_sentences(text)
    return assess_brand(
        attributes,
        sentences,
        embedder.embed(sentences),
        embedder.embed(attribute_prototypes(attributes)),
        topicality,
        prototype_threshold=2.0,
    )


def test_opposed_attribute_keeps_an_on_topic_text_out_of_core() -> None:
    result = _brand(
        "To produce reliable refrigerators.", "Cheap fridges, fast — who cares how long they last?", 0.9
    )
    assert result["tier"] != "core"
    assert result["attributes"]["Reliability"]["contradicts"]
    assert "Reliability" in result["why"]


def test_supporting_on_topic_text_is_core() -> None:
    result = _brand(
        "To produce reliable refrigerators.", "Ten-year warranty on the compressor, because we trust it.", 0.6
    )
    assert result["tier"] == "core"
    assert result["attributes"]["Reliability"]["supports"]


def test_negated_support_counts_as_contradiction() -> None:
    result = _brand("To produce reliable refrigerators.", "These doors won't last a year.", 0.8)
    assert result["attributes"]["Reliability"]["contradicts"] == ["These doors won't last a year."]


@pytest.mark.parametrize(
    "text",
    [
        "The door seal broke after a year.",
        "It died three weeks after the warranty ran out.",
        "Two years in and it stopped working; the warranty people were useless.",
    ],
)
def test_a_complaint_about_an_attribute_counts_against_it(text: str) -> None:
    """Attribute words in a complaint ("a year", "warranty") name what went wrong: never support."""
    result = _brand("To produce reliable refrigerators.", text, 0.8)
    assert result["attributes"]["Reliability"]["supports"] == []
    assert result["attributes"]["Reliability"]["contradicts"] == [text]
    assert result["tier"] != "core"


def test_a_complaint_supports_nothing_and_touches_only_what_it_names() -> None:
    mission = "We make reliable fridges and care for the planet."
    text = "The repair was free but the fridge hums much louder than before."
    result = _brand(mission, text, 0.5)
    for name in ("Reliability", "Sustainability"):
        assert result["attributes"][name]["supports"] == [], name
    assert result["attributes"]["Sustainability"]["contradicts"] == []  # the complaint is about noise
    praise = "Still running after twelve years and never broke once."
    assert _brand(mission, praise, 0.5)["attributes"]["Reliability"]["supports"] == [praise]


def test_off_topic_text_without_attributes_is_off() -> None:
    result = _brand("To produce reliable refrigerators.", "Our new range of spicy mayonnaise is here!", 0.05)
    assert result["tier"] == "off"


# ---------------------------------------------------------------- principles


def _judge(principle: str, text: str) -> dict:
    sentences = split_sentences(text)
    return judge_principle(parse_principle(principle), sentences, [0.0] * len(sentences))


def test_parse_principle_reads_what_is_protected_and_traded() -> None:
    parsed = parse_principle("We never trade safety for cost")
    assert parsed.protected == {stem("safety")} and parsed.traded_for == {stem("cost")}
    assert stem("test") in parsed.related


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("Cut the compressor test time in half to ship sooner", "contradicts"),
        ("Add a second pressure test for every compressor", "supports"),
        ("Redesign the staff canteen menu", "unrelated"),
        ("We will never skip a pressure test, whatever the deadline.", "supports"),
        ("Lunch is at noon. Skip the inspection of valve 3 to save money.", "contradicts"),
    ],
)
def test_principle_verdicts(text: str, verdict: str) -> None:
    result = _judge("We never trade safety for cost", text)
    assert result["verdict"] == verdict
    if verdict == "contradicts":
        # The evidence is the sentence that gives up safety, not the whole text.
        assert result["evidence"] == text.split(". ")[-1]
        assert "weakens" in result["why"]


def test_contradiction_evidence_is_the_deciding_sentence() -> None:
    result = _judge(
        "We never trade safety for cost", "Lunch is at noon. Skip the inspection of valve 3 to save money."
    )
    assert result["evidence"] == "Skip the inspection of valve 3 to save money."


def test_forbidden_action_contradicts() -> None:
    result = _judge("We never sell customer data", "Sell the customer list to advertisers next quarter.")
    assert result["verdict"] == "contradicts"


def test_high_similarity_alone_does_not_make_a_contradiction() -> None:
    sentences = ["Safety matters to us every day"]
    result = judge_principle(parse_principle("We never trade safety for cost"), sentences, [0.95])
    assert result["verdict"] == "supports"


def test_vectors_are_plain_numpy() -> None:
    assert isinstance(HashingEmbedder().embed(["x"]), np.ndarray)
