"""Helpers shared by the job tests: a stored organisation with many ideas, the CLI in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

# `hoshin.cli` registers `hoshin jobs` once the lead adds the import; importing it here as well
# keeps these tests independent of that line.
_MAIN = "import hoshin.cli.jobs; from hoshin.cli import main; main()"
ORG_FILE = Path(__file__).parents[1] / "store" / "fixtures" / "organisation.json"


def load_org(url: str, ideas: int = 0) -> None:
    """The CoolCo fixture organisation plus `ideas` generated ideas (ids N00000...)."""
    from hoshin.service.demo import load_demo
    from hoshin.service.importing import import_batches
    from hoshin.service.records import Batch
    from hoshin.service.verdict_reasons import open_store

    with open_store(url) as repo:
        load_demo(repo, ORG_FILE, actor="test")
        if ideas:
            rows = [(n + 1, {"id": f"N{n:05d}", "text": idea_text(n)}) for n in range(ideas)]
            import_batches(repo, "coolco", [Batch(kind="ideas", source="generated", rows=rows)], "test")


def idea_text(n: int) -> str:
    topics = (
        "door seals",
        "compressor noise",
        "food freshness",
        "piano lessons",
        "ice makers",
        "solar roofs",
    )
    return f"Idea {n}: better {topics[n % len(topics)]} for model {n % 97}"


def ideas_csv(path: Path, count: int, start: int = 0) -> Path:
    lines = ["id,text"] + [f"B{n:06d},{idea_text(n)}" for n in range(start, start + count)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def hoshin(*args: str, env: dict[str, str] | None = None, **kw: Any) -> subprocess.Popen[str]:
    """The real `hoshin` command in its own process group (so a kill reaches its children too)."""
    return subprocess.Popen(
        [sys.executable, "-c", _MAIN, *args],
        env={**os.environ, "HOSHIN_EMBEDDER": "hashing", **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        **kw,
    )


def empty_postgres(url: str) -> str:
    """The session's PostgreSQL database with an empty public schema (tests share the database)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url
