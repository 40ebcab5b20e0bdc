"""Error answers of the API and the pages name what the user sent, never the server's temporary
folders or the database's own words: those go to the server log (SQLite and PostgreSQL)."""

from __future__ import annotations

import io
import logging
import tempfile
from typing import Any

import pytest
from sqlalchemy.exc import IntegrityError

from hoshin.store import repository
from hoshin.store.base import translated
from support import Org

TEMP = tempfile.gettempdir()


def test_a_bad_uploaded_row_names_the_file_not_the_servers_temporary_folder(org: Org) -> None:
    files = {"file": ("ideas.csv", io.BytesIO(b"id,text\nI-9,\n"), "text/csv")}
    response = org.client("admin", how="token").post("/api/v1/import/ideas", files=files)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert "ideas.csv" in error["message"] and error["source"] == "ideas.csv"
    assert TEMP not in response.text and "/tmp" not in response.text


def test_a_bad_okr_upload_names_the_file_not_the_servers_temporary_folder(org: Org) -> None:
    files = {
        "file": ("okrs.csv", io.BytesIO(b"Title,Type,Parent\nKeep food fresh,Objective,Nope\n"), "text/csv")
    }
    response = org.client("admin", how="token").post("/api/v1/goals/import-okr", files=files)
    assert response.status_code == 422, response.text
    assert "okrs.csv" in response.text and TEMP not in response.text


def _database_refuses(*args: Any, **kwargs: Any) -> Any:
    with translated():
        raise IntegrityError(
            "INSERT INTO checkins (value) VALUES (?)",
            {},
            Exception("NOT NULL constraint failed: checkins.value"),
        )


def test_a_database_refusal_is_answered_in_plain_words_and_logged(
    org: Org, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(repository.Repository, "add_checkin", _database_refuses)
    client = org.client("contributor", how="token")
    with caplog.at_level(logging.INFO, logger="hoshin.api"):
        response = client.post("/api/v1/goals/G-RD/checkins", json={"date": "2026-03-14", "value": 1})
    assert response.status_code == 409, response.text
    assert "constraint" not in response.text and "checkins.value" not in response.text
    assert "clashes with stored data" in response.json()["error"]["message"]
    assert "NOT NULL constraint failed: checkins.value" in caplog.text  # for whoever runs the server
    page = org.client("contributor")
    from support import csrf_of

    headers = {"X-CSRF-Token": csrf_of(page.get("/goals").text)}
    answer = page.post(
        "/api/v1/goals/G-RD/checkins", json={"date": "2026-03-14", "value": 1}, headers=headers
    )
    assert answer.status_code == 409 and "constraint" not in answer.text
