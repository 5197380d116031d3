"""The app degrades, never breaks (issue 14): a cache folder it cannot write, a parse over the
time limit, and one parse at a time per session. Run headless with AppTest."""

from __future__ import annotations

import shutil
import tempfile
import time
import uuid

import pytest
from streamlit.testing.v1 import AppTest

from geo.core.config import ENV_CACHE_DIR
from geo.gazetteer import store
from geo.store import notices
from tests.test_app import APP, map_markers
from ui import limits


def shown(at: AppTest) -> list[str]:
    """Return every message and bit of text the page shows."""
    return [e.value for kind in (at.error, at.warning, at.info, at.markdown, at.caption) for e in kind]


def test_a_cache_folder_that_cannot_be_written_gives_one_warning_and_the_map(
    tmp_path, monkeypatch, gazetteer, fresh_caches
):
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the cache folder should be")
    monkeypatch.setenv(ENV_CACHE_DIR, str(blocked))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    # The temporary folder holds a current gazetteer from an earlier run (no 15 s build here).
    (tmp_path / "tmp" / "news-atlas-cache").mkdir(parents=True)
    shutil.copy(gazetteer.path, tmp_path / "tmp" / "news-atlas-cache" / "gazetteer.sqlite")
    at = AppTest.from_file(APP, default_timeout=300).run()
    assert not at.exception
    assert any(marker.startswith("Hmeymim Air Base") for marker in map_markers(at))
    warnings = [w.value for w in at.warning]
    assert any("temporary folder" in w for w in warnings)
    assert any("Corrections cannot be saved" in w for w in warnings)
    assert not any(str(tmp_path) in text or "Traceback" in text for text in shown(at))
    assert store.TEMPORARY_NOTICE in notices.current()


# Ends with a token of its own on each run: the parse that finishes in the background is kept in the
# parse cache on disk (geo.parse.cache), and a later run must parse it again to run over the limit.
LONG = " ".join(f"Reporters in Aleppo and Homs met officials number {n} in Damascus." for n in range(900)) + (
    f" Filed as {uuid.uuid4().hex}."
)


@pytest.mark.slow
def test_a_parse_over_the_time_limit_is_reported_and_the_mapped_articles_stay(monkeypatch):
    at = AppTest.from_file(APP, default_timeout=300).run()
    assert any(marker.startswith("Hmeymim Air Base") for marker in map_markers(at))
    monkeypatch.setattr(limits, "PARSE_SECONDS", 0.2)
    at.text_area(key="pasted").input(LONG).run()
    assert not at.exception
    assert any("took longer than 0.2 s" in e.value.replace("\\", "") for e in at.error)
    assert any(marker.startswith("Hmeymim Air Base") for marker in map_markers(at))  # the seed stays
    # One parse at a time: the next article of this session waits for the one still running.
    at.text_area(key="pasted").input(LONG + " And Latakia.").run()
    assert any("still being mapped" in e.value for e in at.error)
    assert any(marker.startswith("Hmeymim Air Base") for marker in map_markers(at))
    deadline = time.monotonic() + 120
    while not limits.parse_queue().idle() and time.monotonic() < deadline:
        time.sleep(0.2)
    monkeypatch.setattr(limits, "PARSE_SECONDS", 60.0)
    at.run()
    assert not at.error
    assert any(marker.startswith("Aleppo") for marker in map_markers(at))
