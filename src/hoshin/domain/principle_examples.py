"""Examples an organisation gives of a principle: short texts it calls contradicting or supporting.

A principle's wording cannot say everything its authors mean by it ("We never trade safety for
cost" does not say that skipping the second test to ship on time breaks it). An organisation may add
examples, each labelled `contradicts` or `supports`, and the check uses them:

- a sentence close in meaning to an example (MiniLM cosine at or above `EXAMPLE_CLOSE`) takes the
  example's stance when the reading of the sentence found nothing (the verdict would be unrelated)
  and the two lean the same way: both give something up (a cut, a skip, a negation) or neither does.
  Sentence embeddings hardly see a negation: "Keep spare parts for fifteen years" sits at 0.84 from
  "Stop stocking spare parts for old models", so closeness alone would turn a promise into a breach;
- when the reading agrees, the reason also names the example;
- when the reading found the opposite, the reading stands (its cue words are evidence, a likeness is
  not) and the reason says which example pointed the other way, so a reviewer sees the disagreement.

Examples are stored with the principle in the mission's JSON (`examples: [{text, stance}]`); a
principle stored before examples existed simply has none, so old missions read as they always did.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from hoshin.domain import principle_cues as cue
from hoshin.domain.lexicon import find_cues, tokens
from hoshin.errors import InputError

__all__ = [
    "EXAMPLE_CLOSE",
    "EXAMPLE_STANCES",
    "MAX_EXAMPLES",
    "MAX_EXAMPLE_CHARS",
    "ExampleMatch",
    "clean_examples",
    "closest_example",
    "with_example",
]

EXAMPLE_STANCES = ("contradicts", "supports")
MAX_EXAMPLES = 20  # per principle: a handful teaches; more turns the check into a lookup table
MAX_EXAMPLE_CHARS = 300  # an example is one sentence or two, compared sentence by sentence
# A sentence this close to an example (MiniLM cosine) says the same thing in other words. Measured by
# holding out rows of eval/principles_set.jsonl as examples (eval/eval_principle_examples.py, 3
# examples of each stance, 5 draws): at 0.6 recall of contradicts 0.87 -> 0.89 with precision 0.99 ->
# 0.98; at 0.55 recall 0.91 but precision 0.95; from 0.7 on examples change nothing.
EXAMPLE_CLOSE = 0.6


@dataclass(frozen=True)
class ExampleMatch:
    """The example closest to any sentence of a text, and how close."""

    sentence: str
    text: str
    stance: str
    similarity: float


def clean_examples(principle_id: str, raw: Any) -> list[dict[str, str]]:
    """The examples of one principle, checked: `[{text, stance}]` with the text trimmed.

    InputError naming the principle, the example (counted from 1) and the fix for anything else:
    a list that is not a list, an entry without text, an unknown stance, a text too long, too many."""
    if raw is None or raw == "":
        return []
    if not isinstance(raw, list):
        raise InputError(
            f"principle {principle_id}: examples must be a list of {{text, stance}} objects, "
            f"not a {type(raw).__name__}"
        )
    if len(raw) > MAX_EXAMPLES:
        raise InputError(
            f"principle {principle_id}: {len(raw)} examples given; keep at most {MAX_EXAMPLES} "
            "(the clearest ones teach the check best)"
        )
    cleaned: list[dict[str, str]] = []
    for n, item in enumerate(raw, start=1):
        where = f"principle {principle_id}, example {n}"
        if not isinstance(item, dict):
            raise InputError(f"{where}: give an object with a text and a stance (contradicts or supports)")
        text = " ".join(str(item.get("text") or "").split())
        stance = str(item.get("stance") or "").strip().lower()
        if not text:
            raise InputError(f"{where}: the text is empty; write the example or remove it")
        if len(text) > MAX_EXAMPLE_CHARS:
            raise InputError(
                f"{where}: the text is {len(text)} characters long; keep it under {MAX_EXAMPLE_CHARS} "
                "(one or two sentences)"
            )
        if stance not in EXAMPLE_STANCES:
            raise InputError(
                f"{where}: unknown stance {stance or '(none)'!r}; use one of {', '.join(EXAMPLE_STANCES)}"
            )
        if any(e["text"].lower() == text.lower() for e in cleaned):
            raise InputError(f"{where}: the same text is given twice; keep one")
        cleaned.append({"text": text, "stance": stance})
    return cleaned


def closest_example(
    sentences: Sequence[str], examples: Sequence[dict[str, str]], similarities: Sequence[Sequence[float]]
) -> ExampleMatch | None:
    """The (sentence, example) pair with the highest cosine; `similarities[i][j]` is sentence i
    against example j. None when there are no examples."""
    best: ExampleMatch | None = None
    for sentence, row in zip(sentences, similarities, strict=True):
        for example, sim in zip(examples, row, strict=True):
            if best is None or sim > best.similarity:
                best = ExampleMatch(sentence, example["text"], example["stance"], float(sim))
    return best


def with_example(
    judgement: dict[str, Any], match: ExampleMatch | None, close: float = EXAMPLE_CLOSE
) -> dict[str, Any]:
    """The verdict `{verdict, evidence, why}` of the reading, with the closest example taken into
    account (see the module's docstring); unchanged when no example is close."""
    if match is None or match.similarity < close:
        return judgement
    named = f"the example '{match.text}' that the organisation gave"
    verdict = judgement["verdict"]
    if verdict == "unrelated" and _gives_up(match.sentence) == _gives_up(match.text):
        gave = "as breaking" if match.stance == "contradicts" else "as keeping"
        why = f"'{match.sentence}' is close to {named} {gave} the principle."
        return {**judgement, "verdict": match.stance, "evidence": match.sentence, "why": why}
    if verdict == "unrelated":
        return judgement  # close in subject but leaning the other way: a likeness proves nothing
    if verdict == match.stance:
        return {**judgement, "why": f"{judgement['why']} It is also close to {named}."}
    other = "contradicting" if match.stance == "contradicts" else "supporting"
    why = (
        f"{judgement['why']} Note: '{match.sentence}' is close to {named} as {other} the principle; "
        "the reading of the text was kept."
    )
    return {**judgement, "why": why}


def _gives_up(text: str) -> bool:
    """True when a text cuts, skips, drops, puts off or negates something ("Stop stocking spare
    parts", "Don't bother with repairs"): the lean a sentence and an example must share."""
    toks = tokens(text)
    if any(t.lower.replace("’", "'") in cue.NEGATING or t.lower.endswith("n't") for t in toks):
        return True
    return bool(find_cues(toks, cue.GIVE_UP + cue.DEFER + cue.DISMISS + cue.BELITTLE + cue.FLAWED))
