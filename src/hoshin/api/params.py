"""Request parameters the features' routes share: page sizes, export formats and HTML form fields.

`checked(model, values)` validates a form against the same request schema the REST API uses, so a
form and a JSON body are refused for the same reasons, with an InputError naming the fields.
"""

from typing import Annotated, Any

from fastapi import Query
from pydantic import BaseModel, ValidationError

from hoshin.errors import InputError

__all__ = ["EXPORT_TYPES", "LIST_FIELDS", "Limit", "Offset", "checked", "form_rows", "form_values", "lines"]

Limit = Annotated[int, Query(ge=1, le=1000, description="Page size.")]
Offset = Annotated[int, Query(ge=0, description="Records to skip.")]
EXPORT_TYPES = {
    "json": "application/json",
    "jsonl": "application/x-ndjson",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Form fields that hold a ';'-separated list.
LIST_FIELDS = ("parent_ids", "tags")


def form_values(form: Any, names: tuple[str, ...]) -> dict[str, Any]:
    """Form fields as a request body: blanks left out, ';'-separated lists split."""
    values: dict[str, Any] = {}
    for name in names:
        raw = form.get(name)
        if not isinstance(raw, str) or not raw.strip():
            continue
        text = raw.strip()
        values[name] = (
            [part.strip() for part in text.split(";") if part.strip()] if name in LIST_FIELDS else text
        )
    return values


def checked(model: type[BaseModel], values: dict[str, Any]) -> dict[str, Any]:
    try:
        return model.model_validate(values).model_dump(exclude_unset=True)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        raise InputError(f"the form is not valid: {problems}") from None


def lines(form: Any, name: str) -> list[str]:
    """A textarea holding one entry per line, as a list without blanks."""
    raw = form.get(name)
    if not isinstance(raw, str):
        return []
    return [line.strip() for line in raw.splitlines() if line.strip()]


def form_rows(form: Any, fields: tuple[str, ...]) -> list[dict[str, str]]:
    """Rows of an indexed form (`name-0`, `source_phrase-0`, ...); rows left blank are dropped."""
    rows = []
    for n in range(100):
        values = {f: str(form.get(f"{f}-{n}") or "").strip() for f in fields}
        if not any(f"{f}-{n}" in form for f in fields):
            break
        if any(values.values()):
            rows.append(values)
    return rows
