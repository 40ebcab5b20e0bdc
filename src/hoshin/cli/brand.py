"""`hoshin brand`: brand and image on the command line.

`check` is a batch command on files (no database); `attributes` and `image` read the organisation in
the database named by --db, through the same service functions as the brand pages.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from hoshin.cli.admin import DbOption, OrgOption, _open
from hoshin.cli.common import FormatOption, OutputOption, emit, fail_cleanly
from hoshin.cli.groups import brand

if TYPE_CHECKING:
    pass
from hoshin.cli.common import (
    MissionOption,
    QuietOption,
    RequiredInputOption,
    need_mission,
    organisation_of,
    read_texts,
)


@brand.command("attributes")
def attributes(
    fmt: str | None = FormatOption,
    output: Path | None = OutputOption,
    db: str | None = DbOption,
    org: str | None = OrgOption,
) -> None:
    """The brand attributes of the current mission, each with the phrase it comes from.

    `derived` is true while nobody has edited them: they are then read from the mission wording.

    Example:  hoshin brand attributes --format table
    """
    with fail_cleanly():
        from hoshin.service.brand import brand_attributes

        with _open(db) as repo:
            rows = brand_attributes(repo, organisation_of(repo, org))
        emit(rows, fmt, output)


def _image_rows(gap: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per attribute for all months (`month: all`, with own voice, outside voice and gap),
    then one per attribute and month the outside voices spoke, each with that month's quotes."""
    rows: list[dict[str, Any]] = []
    for attribute in gap["attributes"]:
        quotes = attribute["quotes"]
        rows.append(
            {
                "attribute": attribute["name"],
                "month": "all",
                "own_voice": attribute["intended"],
                "outside_voice": attribute["image"],
                "gap": attribute["gap"],
                "mentions": attribute["mentions"],
                "supporting_quotes": quotes["supports"],
                "contradicting_quotes": quotes["contradicts"],
            }
        )
        for month, image in zip(gap["months"], gap["by_month"][attribute["name"]], strict=True):
            if image is None:
                continue  # no outside text of that month touched this attribute
            rows.append(
                {
                    "attribute": attribute["name"],
                    "month": month,
                    "own_voice": None,
                    "outside_voice": image,
                    "gap": None,
                    "mentions": None,
                    "supporting_quotes": [q for q in quotes["supports"] if q["date"].startswith(month)],
                    "contradicting_quotes": [q for q in quotes["contradicts"] if q["date"].startswith(month)],
                }
            )
    return rows


@brand.command("image")
def image(
    fmt: str | None = FormatOption,
    output: Path | None = OutputOption,
    db: str | None = DbOption,
    org: str | None = OrgOption,
) -> None:
    """How outside voices see each brand attribute against what the organisation's own texts promise.

    A voice's score is the share of its sentences touching the attribute that show it (1.0: all
    do, 0.0: all work against it); gap = own voice - outside voice. The `all` row of an attribute
    sums every month; the rows after it give the outside voice month by month, with quotes.

    Example:  hoshin brand image --format csv -o image.csv
    """
    with fail_cleanly():
        from hoshin.service.brand import image_gap
        from hoshin.service.corridor import store_aligner

        with _open(db) as repo:
            gap = image_gap(repo, organisation_of(repo, org), store_aligner(repo))
        emit(_image_rows(gap), fmt, output)


@brand.command(
    "check",
    epilog=(
        "Example:\n\n"
        "  hoshin brand check --mission 'To produce reliable refrigerators.' --input posts.csv --format json"
    ),
)
def brand_check(
    mission_text: str = MissionOption,
    input_file: Path = RequiredInputOption,
    fmt: str = FormatOption,
    output: Path = OutputOption,
    quiet: bool = QuietOption,  # nothing drawn here yet; taken so that every batch command takes it
) -> None:
    """Check texts (posts, ads, press releases) against the brand attributes the mission promises:
    per text a score, a tier, the sentences that support or contradict each attribute, and why."""
    with fail_cleanly():
        from hoshin.service.texts import check_brand, default_embedder

        text = need_mission(mission_text)
        rows = read_texts(input_file)
        emit(check_brand(text, rows, default_embedder()), fmt, output)
