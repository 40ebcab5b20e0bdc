"""The mission model: the mission text, the themes found in it, and the corridor people add.

Themes are extracted by splitting the statement at the places where missions change subject:
"We serve *families across Europe* with *reliable, energy-saving refrigerators*, built by
*skilled people* who *care for the planet*." Each fragment gets a kind (what the organisation
makes or does, for whom, how, and by which principles). People can edit the list; the engine
scores against whatever the model holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from hoshin.domain.text import MISSION_FILLER, STOP_WORDS, content_words, without_exceptions, words
from hoshin.domain.theme_cuts import extra_cuts, is_receiver_phrase, lead_in_end, protected_spans

__all__ = [
    "THEMES_BY_HAND",
    "THEME_RULES_VERSION",
    "MissionModel",
    "Theme",
    "ThemeKind",
    "build_mission_model",
    "extract_themes",
    "themes_as_json",
    "theme_label",
    "theme_phrase",
]


# The generation of the rules that cut a statement into themes: this module's extract_themes and
# theme_phrase, and theme_cuts. Raise it by one in the same change whenever those rules change
# which themes a statement gets (a new marker word, a new cut, a different name). Each stored
# mission version records the generation its themes were derived under, and when a store opens,
# every organisation whose current version is older gets a version with themes derived again
# (store/theme_rederivation.py). 1: word lists ("families europe"); 2: phrases of the statement
# (issue 21, migration 11); 3: comma cuts, thin parts joined, verbs of giving; 4: a value adjective
# that qualifies a thing made ("safe car seats") leaves it a what-theme.
THEME_RULES_VERSION = 4
# What a mission version records instead when people gave its themes (an import file with its own
# themes): no generation of the rules applies, so no rule change replaces them.
THEMES_BY_HAND = 0


class ThemeKind:
    WHAT = "what"
    WHOM = "whom"
    HOW = "how"
    PRINCIPLE = "principle"
    FOCUS = "focus"
    ALL = (WHAT, WHOM, HOW, PRINCIPLE, FOCUS)


@dataclass(frozen=True)
class Theme:
    name: str  # short label shown in verdicts
    text: str  # the words that are embedded and matched
    kind: str = ThemeKind.WHAT


def themes_as_json(themes: tuple[Theme, ...] | list[Theme]) -> list[dict[str, str]]:
    """Themes as a stored mission version holds them (mission_versions.themes)."""
    return [{"name": t.name, "text": t.text, "kind": t.kind} for t in themes]


@dataclass(frozen=True)
class MissionModel:
    text: str
    themes: tuple[Theme, ...] = ()
    focus_areas: tuple[str, ...] = ()
    exclusions: tuple[str, ...] = ()
    version: int = 1
    principles: tuple[str, ...] = field(default=())
    # Codes of part-of entries a strategist removed from this mission's expansion (domain/part_of.py).
    removed_parts: frozenset[str] = frozenset()

    def with_corridor(self, focus_areas: tuple[str, ...], exclusions: tuple[str, ...]) -> MissionModel:
        return replace(self, focus_areas=tuple(focus_areas), exclusions=tuple(exclusions))

    @property
    def all_themes(self) -> tuple[Theme, ...]:
        """Extracted themes plus focus areas (a focus area is a theme the strategist added)."""
        focus = tuple(Theme(theme_phrase(f), f, ThemeKind.FOCUS) for f in self.focus_areas)
        return self.themes + focus


# Words that open a new part of a mission statement, and the kind of theme that part usually is.
_MARKERS: dict[str, str] = {
    "for": ThemeKind.WHOM,
    "serve": ThemeKind.WHOM,
    "serves": ThemeKind.WHOM,
    "serving": ThemeKind.WHOM,
    "to": ThemeKind.WHAT,
    "with": ThemeKind.HOW,
    "by": ThemeKind.HOW,
    "through": ThemeKind.HOW,
    "using": ThemeKind.HOW,
    "built": ThemeKind.HOW,
    "made": ThemeKind.HOW,
    "who": ThemeKind.PRINCIPLE,
    "that": ThemeKind.PRINCIPLE,
    "while": ThemeKind.PRINCIPLE,
    "whilst": ThemeKind.PRINCIPLE,
}
_PRINCIPLE_WORDS = frozenset(
    "care cares caring respect respecting honest honesty integrity ethic ethics ethical fair fairness "
    "planet sustainable sustainability safe safety trust responsible responsibility values value "
    "transparent transparency quality".split()
)
# The value words that are adjectives: they may qualify a thing made ("safe car seats").
_VALUE_ADJECTIVES = frozenset("honest fair safe sustainable ethical responsible transparent".split())
# A fragment that opens with an auxiliary ("to be repaired") describes how the product is treated,
# not a thing the organisation makes: it may be a theme, but not a *what* with parts and materials.
_AUXILIARIES = frozenset("be is are was were been being".split())
_SPLIT = re.compile(r"[.;:!?\n•·|]+|,\s*(?=(?:and|but|while|who|that|built|made|by|with|for)\b)", re.I)
_MARK = re.compile(r"\b(" + "|".join(sorted(_MARKERS, key=len, reverse=True)) + r")\b", re.I)


def theme_label(text: str, max_words: int = 5) -> str:
    """The content words of a text, at most `max_words`: a compact key, not a phrase to show."""
    words = content_words(text, MISSION_FILLER) or content_words(text) or text.split()
    return " ".join(words[:max_words]) or text.strip()


# Words a theme's shown phrase neither starts nor ends with ("we", "our", "in", "to" ...).
_EDGE_WORDS = STOP_WORDS | MISSION_FILLER
_PHRASE_TOKEN = re.compile(r"\S+")


def theme_phrase(piece: str, max_words: int = 8) -> str:
    """The piece as the statement writes it, trimmed of leading and trailing function words and of
    the mission's own verbs ("produce", "provide"): "families across Europe", not "families
    europe". Longer pieces keep their first `max_words` words, so the name is always a phrase of
    the statement."""
    tokens = _PHRASE_TOKEN.findall(piece)

    def bare(token: str) -> str:
        return re.sub(r"^[^\w']+|[^\w']+$", "", token.lower().replace("’", "'"))

    start, stop = 0, len(tokens)
    while start < stop and bare(tokens[start]) in _EDGE_WORDS | {""}:
        if start + 1 < stop and bare(tokens[start]) in _KEPT_MARKERS and bare(tokens[start + 1]) == "to":
            break  # "made to last" keeps its participle
        start += 1
    while stop > start and bare(tokens[stop - 1]) in _EDGE_WORDS | {""}:
        stop -= 1
    kept = tokens[start:stop]
    if len(kept) > max_words:
        # Too long to show: end at the first "and"/"or" that closes a phrase of three words or
        # more ("organize the world's information"), so the name is one idea; else at the limit
        # ("small businesses and charities can trust").
        cut = next((i for i in range(3, max_words + 1) if bare(kept[i]) in ("and", "or")), max_words)
        kept = kept[:cut]
    while kept and bare(kept[-1]) in STOP_WORDS | {"and", "or"}:
        kept.pop()  # a cut at max_words must not end on "of" or "and"
    phrase = " ".join(kept).strip(" ,;:-–—\"'“”()[]*")
    return phrase or theme_label(piece)


# A comma starts a new part of the statement unless what follows is one word of a list
# ("refrigerants, materials and methods"): then the comma only separates list items.
_COMMA = re.compile(r",\s+(?!\S+\s+(?:and|or)\b)(?!\S+\s*(?:,|$))")
# "to" after these words belongs to the phrase ("made to last", "simple enough to use", "close to
# home"), so it does not open a new part.
_TO_KEEPERS = frozenset("enough close made built designed able next due".split())
# A part with fewer content words than this is too thin to be a theme on its own ("loaf", "home"):
# it joins its neighbour, so the theme stays a contiguous phrase of the statement.
_MIN_THEME_WORDS = 2
_KEPT_MARKERS = frozenset({"made", "built"})
_LEADING_JOIN = re.compile(r"^(?:and|or|but)\s+", re.I)


def _parts(sentence: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) spans of a sentence, cut at its commas (not those inside a list), at
    the marker words and at the cuts `theme_cuts` finds without one; each span inherits the kind
    of the marker before it and leaves the marker out (a comma keeps the kind it found)."""
    # (start, end, marker word or None, kind the cut sets or None)
    cuts: list[tuple[int, int, str | None, str | None]] = [
        (m.start(), m.end(), None, None) for m in _COMMA.finditer(sentence)
    ]
    protected = protected_spans(sentence)
    cuts += [
        (m.start(), m.end(), m.group(1).lower(), None)
        for m in _MARK.finditer(sentence)
        if not any(a <= m.start() < b for a, b in protected)
    ]
    cuts += [
        (c.start, c.end, None, c.kind)
        for c in extra_cuts(sentence, ThemeKind.WHAT, ThemeKind.WHOM, ThemeKind.PRINCIPLE)
    ]
    spans: list[tuple[int, int, str]] = []
    kind = ThemeKind.WHAT
    last = 0
    for start, end, marker, set_kind in sorted(cuts, key=lambda c: (c[0], c[1])):
        if start < last:
            continue
        if marker is not None:
            if kind == ThemeKind.PRINCIPLE and marker in ("for", "to", "with", "that"):
                continue  # "who care for the planet" is one principle, not two themes
            before = words(sentence[:start])[-1:]
            if marker == "to" and before and before[0] in _TO_KEEPERS:
                continue
        spans.append((last, start, kind))
        if set_kind is not None:
            kind = set_kind
        elif marker is not None:
            # "We serve families with reliable fridges": after *whom*, "with" brings the *what*.
            kind = ThemeKind.WHAT if marker == "with" and kind == ThemeKind.WHOM else _MARKERS[marker]
        # A participle before "to" stays in its part: "made to last", not "to last".
        kept = marker in _KEPT_MARKERS and sentence[end:].lstrip().lower().startswith("to ")
        last = start if kept else end
    spans.append((last, len(sentence), kind))
    return spans


def _joined(sentence: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Thin spans joined to a neighbour: to the next one (a lead-in such as "made" before "to
    last"), the last one to the one before. The joined span keeps the kind of its fuller part."""
    out: list[tuple[int, int, str]] = []
    waiting_start = -1  # start of thin spans waiting for the next one (-1: none)
    waiting_words = 0
    for a, b, kind in spans:
        n = len(content_words(sentence[a:b], MISSION_FILLER))
        if n == 0 and waiting_start < 0:
            continue  # nothing but function words (or nothing at all) between two cuts
        start = waiting_start if waiting_start >= 0 else a
        if waiting_words + n < _MIN_THEME_WORDS:
            waiting_start, waiting_words = start, waiting_words + n
            continue
        out.append((start, b, kind))
        waiting_start, waiting_words = -1, 0
    if waiting_start >= 0:
        if out:
            out[-1] = (out[-1][0], len(sentence), out[-1][2])
        elif waiting_words:
            out.append((waiting_start, len(sentence), spans[-1][2]))
    return out


def extract_themes(text: str, max_themes: int = 8) -> tuple[Theme, ...]:
    """Themes of a mission statement, in the order they appear; never empty for non-empty text.

    One theme per part of the statement: sentences, then the parts of a sentence that commas
    separate (but not the items of a list), then the parts that marker words open ("for", "who",
    "by" ...) and those `theme_cuts` finds without one ("gives *children* *expert care*"). The
    organisation naming itself ("Our clinic gives") is left out. A part too thin to stand alone
    joins its neighbour, so every theme is a phrase of the statement as written ("made to last and
    to be repaired", not "repaired")."""
    themes: list[Theme] = []
    seen: set[str] = set()
    for whole in _SPLIT.split(without_exceptions(text)):
        sentence = whole[lead_in_end(whole) :]
        for a, b, piece_kind in _joined(sentence, _parts(sentence)):
            piece = sentence[a:b].strip(" ,-–—\"'“”()[]*")
            piece = _LEADING_JOIN.sub("", piece)  # "and keeps food fresh" -> "keeps food fresh"
            found = content_words(piece, MISSION_FILLER)
            if not found:
                continue
            if piece_kind != ThemeKind.PRINCIPLE and any(w in _PRINCIPLE_WORDS for w in found):
                # A value word that only qualifies a thing ("safe car seats", "honest bread") leaves
                # it a thing the organisation makes; one that is the head ("food safety", "care
                # for the planet") makes the piece a principle.
                values = [w for w in found if w in _PRINCIPLE_WORDS]
                qualifies = (
                    piece_kind == ThemeKind.WHAT
                    and found[-1] not in _PRINCIPLE_WORDS
                    and all(w in _VALUE_ADJECTIVES for w in values)
                )
                if not qualifies and (piece_kind != ThemeKind.WHAT or len(found) <= 3):
                    piece_kind = ThemeKind.PRINCIPLE
            if (
                piece_kind == ThemeKind.WHAT
                and words(piece)[:1]
                and words(piece)[0] in _AUXILIARIES | _KEPT_MARKERS
            ):
                piece_kind = ThemeKind.HOW
            name = theme_phrase(piece)
            if piece_kind == ThemeKind.WHAT and is_receiver_phrase(name):
                piece_kind = ThemeKind.WHOM  # "to everyone in the valley": who is served
            label = " ".join(found[:5])
            if label in seen:
                continue
            seen.add(label)
            themes.append(Theme(name=name, text=piece, kind=piece_kind))
    if not themes and text.strip():
        themes.append(Theme(name=theme_phrase(text.strip()), text=text.strip(), kind=ThemeKind.WHAT))
    return tuple(themes[:max_themes])


def build_mission_model(
    text: str,
    focus_areas: tuple[str, ...] | list[str] = (),
    exclusions: tuple[str, ...] | list[str] = (),
    themes: tuple[Theme, ...] | None = None,
    version: int = 1,
) -> MissionModel:
    """A mission model from its text; themes are extracted unless given (edited by people)."""
    cleaned = " ".join(text.split())
    return MissionModel(
        text=cleaned,
        themes=themes if themes is not None else extract_themes(text),
        focus_areas=tuple(f.strip() for f in focus_areas if f and f.strip()),
        exclusions=tuple(e.strip() for e in exclusions if e and e.strip()),
        version=version,
    )
