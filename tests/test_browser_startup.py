"""A restarted server maps its articles from the parse cache (issue 16): in Debian's Chromium, the
network closed, the markers after a restart are those of the first start, and the restarted
server never loaded spaCy (none of its compiled modules is mapped into the process)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from geo.parse.cache import ParseCache
from tests.browser import ROOT, open_offline_page, require_chromium, running_app, wait_for_markers
from tests.conftest import SEED
from tests.test_browser import marker_names

pytestmark = pytest.mark.browser

require_chromium()


def _servers() -> list[int]:
    """Return the ids of this process's children that run ``streamlit run`` (Linux's /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ")
        except (OSError, IndexError, ValueError):  # gone meanwhile
            continue
        if parent == os.getpid() and b"streamlit run" in command:
            found.append(int(entry.name))
    return found


def _spacy_loaded(pid: int) -> bool:
    """Return whether the process ``pid`` has any of spaCy's compiled modules mapped."""
    return "/spacy/" in (Path("/proc") / str(pid) / "maps").read_text()


def test_a_restarted_server_draws_the_same_markers_without_spacy(browser, tmp_path, monkeypatch):
    articles, cache = tmp_path / "articles", tmp_path / "cache"
    articles.mkdir()
    cache.mkdir()
    text = SEED.read_text(encoding="utf-8")
    middle = text.index("\n", len(text) // 2)
    (articles / SEED.name).write_text(text, encoding="utf-8")
    (articles / "second-half.txt").write_text(text[middle:].strip(), encoding="utf-8")
    (cache / "gazetteer.sqlite").symlink_to(ROOT / "cache" / "gazetteer.sqlite")
    monkeypatch.setenv("GEO_CACHE_DIR", str(cache))
    monkeypatch.setenv("NEWS_ATLAS_ARTICLES", str(articles))

    def start() -> tuple[list[str], bool]:
        with running_app() as url:
            page = open_offline_page(browser, url)
            wait_for_markers(page, timeout_ms=180_000)
            page.wait_for_timeout(1000)  # the view report's rerun settles
            names = sorted(marker_names(page) or [])
            (server,) = _servers()
            loaded = _spacy_loaded(server)
            page.context.close()
        return names, loaded

    first, loaded_first = start()
    assert loaded_first  # nothing cached: the first server parsed with the model
    assert len(ParseCache(cache / "parses.sqlite")) == 2
    assert any("Hmeymim Air Base" in name for name in first)
    second, loaded_second = start()
    assert second == first
    assert not loaded_second
