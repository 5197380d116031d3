"""A public deployment's bounds: what the server keeps for visitors, and limits no client can lift."""

from __future__ import annotations

import tempfile

import pytest
from streamlit.testing.v1 import AppTest

from geo.core.config import ENV_PUBLIC
from tests.conftest import ROOT
from tests.test_public import correct_geneva_to_illinois, geneva_country
from ui import registry

APP = str(ROOT / "app.py")
#: The session id AppTest runs its script under (Streamlit's, not the app's own).
APPTEST_SESSION = "test session id"


@pytest.fixture
def public(tmp_path, monkeypatch, gazetteer):
    (tmp_path / "gazetteer.sqlite").symlink_to(gazetteer.path)
    monkeypatch.setenv("GEO_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv(ENV_PUBLIC, "1")
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # the sessions' own corrections
    tempfile.tempdir = None
    yield tmp_path
    tempfile.tempdir = None


def test_a_public_sessions_corrections_are_deleted_when_it_ends(public, monkeypatch):
    from streamlit.runtime.caching import clear_session_resource_cache

    alice = AppTest.from_file(APP, default_timeout=300)
    correct_geneva_to_illinois(alice)
    assert geneva_country(alice) == "US"
    folder = public / registry.SESSIONS_FOLDER
    assert [p.name for p in folder.glob("*.sqlite")] == [f"{alice.session_state['news_atlas_session']}.sqlite"]
    monkeypatch.setattr(registry.session_stores(), "grace", 0.0)
    clear_session_resource_cache(APPTEST_SESSION)  # what Streamlit does when the browser disconnects
    assert not list(folder.iterdir())  # nothing the visitor did is left on disk


def test_a_session_that_reconnects_within_the_grace_keeps_its_corrections(tmp_path):
    stores = registry.SessionStores(tmp_path, grace=30.0)
    store = stores.get("s1")
    assert store.path.exists()
    stores.end("s1")  # the browser disconnected
    assert stores.get("s1") is store and store.path.exists()  # and came back: the timer is cancelled
    stores.grace = 0.0
    stores.end("s1")
    assert not store.path.exists() and len(stores) == 0


PASTED = "Talks resumed in Mosul on Monday, and aid reached Aleppo by road from Gaziantep."


def test_public_mode_publishes_no_file_of_a_visitors_places(public, monkeypatch):
    from tests.test_app import map_html

    at = AppTest.from_file(APP, default_timeout=300).run()
    at.text_area(key="pasted").input(PASTED).run()
    assert not at.exception
    assert ".naDrawPlaces(" in map_html(at) and ".naLoadPlaces(" not in map_html(at)  # inside the map
    assert "Gaziantep" in map_html(at)
    monkeypatch.delenv(ENV_PUBLIC)
    local = AppTest.from_file(APP, default_timeout=300).run()
    local.text_area(key="pasted").input(PASTED).run()
    assert ".naLoadPlaces(" in map_html(local)  # locally, published as before
