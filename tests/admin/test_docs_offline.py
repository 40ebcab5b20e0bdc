"""The API docs (/docs Swagger UI, /redoc ReDoc) work on a machine without internet access: every
script, style sheet and icon they load is served by the app itself."""

from __future__ import annotations

import re

import pytest

from support import Org

_ASSET = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']|(?:url|spec-url)\s*:\s*['"]([^'"]+)['"]""")


def _assets(html: str) -> list[str]:
    return [a or b for a, b in _ASSET.findall(html)]


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_api_docs_load_only_local_assets(org: Org, path: str) -> None:
    client = org.client()
    page = client.get(path)
    assert page.status_code == 200
    assets = _assets(page.text)
    assert any(a.endswith(".js") for a in assets), assets  # the viewer's script is among them
    for url in assets:
        assert url.startswith("/") and not url.startswith("//"), f"{path} loads {url} from elsewhere"
        assert client.get(url).status_code == 200, url
    assert "cdn." not in page.text and "https://" not in page.text
