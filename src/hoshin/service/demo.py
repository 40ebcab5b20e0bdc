"""Load the demo organisation (src/hoshin/data/demo/organisation.json) into a store.

The file goes through the same validation as an import, as one piece (references may point
anywhere in the file), and is written in one transaction. Users' passwords are stored hashed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hoshin.errors import ConfigError, ConflictError, InputError
from hoshin.service.importing import ImportResult, import_batches
from hoshin.service.records import KINDS, Batch
from hoshin.store.repository import Repository

if TYPE_CHECKING:
    from hoshin.service.alignment import Aligner

__all__ = ["DemoResult", "demo_path", "demo_sign_ins", "load_demo", "load_organisation_file"]


@dataclass(frozen=True)
class DemoResult:
    organisation_id: str
    loaded: bool  # False when --if-empty found an organisation and did nothing
    results: tuple[ImportResult, ...] = ()

    def counts(self) -> dict[str, int]:
        return {r.kind: r.created + r.updated for r in self.results}


def demo_path() -> Path:
    """Where the packaged demo organisation lives."""
    return Path(__file__).resolve().parent.parent / "data" / "demo" / "organisation.json"


def load_demo(
    repo: Repository,
    path: str | Path | None = None,
    actor: str = "cli",
    *,
    replace: bool = False,
    if_empty: bool = False,
    score: bool = False,
    aligner: Aligner | None = None,
) -> DemoResult:
    """Load the demo (or the organisation file at `path`).

    `if_empty`: do nothing when the database already holds any organisation. Otherwise an existing
    organisation with the same id is a ConflictError unless `replace`, which swaps it atomically.
    With `score` every record gets its verdict from `aligner` (else the configured engine) after
    the load: ideas, goals and knowledge areas, and the own-voice communications' principle checks.
    """
    path = Path(path) if path is not None else demo_path()
    if not path.is_file():
        raise ConfigError(f"the demo organisation file is missing: {path}")
    data = _read(path)
    organisation = data.get("organisation")
    if not isinstance(organisation, dict) or not organisation.get("id") or not organisation.get("name"):
        raise InputError(f'{path}: needs "organisation": {{"id": ..., "name": ...}}')
    org_id = str(organisation["id"])
    existing = [o["id"] for o in repo.organisations()]
    if if_empty and existing:
        return DemoResult(existing[0] if len(existing) == 1 else org_id, loaded=False)
    results = tuple(load_organisation_file(repo, data, path, actor, replace=replace))
    if score:
        # After the commit, so a failure to score never loses the loaded organisation.
        from hoshin.service.corridor import score_new_ideas, store_aligner
        from hoshin.service.dashboard import refresh_verdicts

        aligner = aligner if aligner is not None else store_aligner(repo)
        ideas = data.get("ideas")
        ids = [i["id"] for i in ideas if isinstance(i, dict)] if isinstance(ideas, list) else []
        score_new_ideas(repo, org_id, ids, aligner)
        # Goals, knowledge areas and communications too: a fresh demo's dashboard shows every
        # number at once instead of "not scored yet" and zeros until someone presses a button.
        refresh_verdicts(repo, org_id, aligner)
        _embed_whole_org_views(repo, org_id, aligner)
    return DemoResult(org_id, True, results)


def _embed_whole_org_views(repo: Repository, org_id: str, aligner: Aligner) -> None:
    """Work the principles and knowledge-needs views through once, so the texts they embed (every
    sentence of every goal, idea, communication and document; the own areas as the needs ranking
    phrases them) are already in the store's vector cache when the first person opens them: on the
    fresh demo those first views took 6-8 s, nearly all of it the model."""
    from hoshin.service.brand import all_principle_flags
    from hoshin.service.corridor import _on_store
    from hoshin.service.knowledge import propose_needs

    aligner = _on_store(repo, aligner)
    all_principle_flags(repo, org_id, aligner)
    propose_needs(repo, org_id, aligner)


def demo_sign_ins(repo: Repository, org_id: str) -> list[tuple[str, str, str]]:
    """(username, password, role) of the packaged demo's users that organisation `org_id` holds:
    what a new user needs to sign in for the first time. The passwords are the demo file's own,
    public by design; a user whose password was changed since still shows the old one."""
    users = _read(demo_path()).get("users")
    stored = repo.keys("users", org_id)
    if not isinstance(users, list):
        return []
    return [
        (str(u["username"]), str(u["password"]), str(u.get("role", "")))
        for u in users
        if isinstance(u, dict) and u.get("password") and u.get("username") in stored
    ]


def load_organisation_file(
    repo: Repository, data: dict[str, Any], path: Path, actor: str, replace: bool = False
) -> list[ImportResult]:
    """Create the organisation described by `data` (the demo file format) in one transaction."""
    organisation = data["organisation"]
    org_id = str(organisation["id"])
    batches = []
    for kind in KINDS:
        items = data.get(kind)
        if items is None:
            continue
        if kind == "mission":
            items = [items] if isinstance(items, dict) else items
        if not isinstance(items, list):
            raise InputError(f'{path}: "{kind}" must be a list')
        batches.append(Batch(kind, f"{path.name} [{kind}]", list(enumerate(items, start=1))))
    with repo.transaction():
        if org_id in {o["id"] for o in repo.organisations()}:
            if not replace:
                raise ConflictError(f"organisation {org_id!r} already exists; use --replace to load it again")
            repo.delete_organisation(org_id)
        repo.create_organisation(org_id, str(organisation["name"]))
        for batch in batches:
            for number, item in batch.rows:
                if not isinstance(item, dict):
                    raise InputError(f"{batch.source}: item {number} is not an object")
        return import_batches(repo, org_id, batches, actor, action="demo", detail={"file": path.name})


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise InputError(f"{path}: is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: malformed JSON at line {exc.lineno}: {exc.msg}") from None
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected one JSON object")
    return data
