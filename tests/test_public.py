"""A public deployment: what visitors may not do, and pages that render whatever the link says."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass

import pytest
from streamlit.testing.v1 import AppTest

from geo.core.config import ENV_EDITOR_TOKENS, ENV_GEOCODER_URL, ENV_PUBLIC
from geo.core.errors import CorrectionRefused
from geo.inputs.articles import article_of
from geo.store.corrections import Correction, Corrections, article_id
from tests.conftest import ROOT, SEED
from ui.articles import PUBLIC_MAX_BYTES, gather
from ui.link import MAX_MIN_MENTIONS, link_of
from ui.resources import SESSION_KEY
from ui.sidebar import Inputs

APP = str(ROOT / "app.py")


@pytest.mark.parametrize(
    ("value", "expected"),
    [("abc", 1), ("", 1), ("-3", 1), ("0", 1), ("2", 2), ("1e9", 1), ("99999999999", 1), ("5000", MAX_MIN_MENTIONS)],
)
def test_min_is_parsed_defensively_and_clamped(value, expected):
    assert link_of({"min": [value]}).min_mentions == expected


def test_overlong_and_too_many_values_are_left_out():
    link = link_of({"seed": ["x" * 1000, "ok"], "kind": ["city"] * 500, "place": ["p" * 5000]})
    assert link.seeds == ("ok",) and len(link.kinds) == 50 and link.place is None


@pytest.mark.parametrize(
    "query", [{"min": "abc"}, {"min": "-1", "kind": "nonsense"}, {"place": "x" * 300, "seed": "nope"}]
)
def test_bad_query_parameters_render_the_page(query):
    at = AppTest.from_file(APP, default_timeout=300)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    assert at.dataframe, "the seed's table is drawn"


@dataclass
class Upload:
    name: str
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)

    def getvalue(self) -> bytes:
        return self.data


def test_uploads_with_the_same_name_keep_distinct_identities():
    uploads = (Upload("notes.txt", b"Troops left Mosul."), Upload("notes.txt", b"Talks in Geneva."))
    articles, problems = gather(Inputs((), "", uploads, ""), [])  # type: ignore[arg-type]
    assert problems == [] and [a.name for a in articles] == ["notes.txt", "notes.txt (2)"]


def test_public_mode_caps_pasted_and_uploaded_articles(monkeypatch):
    big = "Talks in Geneva. " * (PUBLIC_MAX_BYTES // 17 + 10)
    articles, problems = gather(Inputs((), big, (Upload("big.txt", big.encode()),), ""), [])  # type: ignore[arg-type]
    assert len(articles) == 2 and problems == []  # not public: the 2 MB limit only
    monkeypatch.setenv(ENV_PUBLIC, "1")
    articles, problems = gather(Inputs((), big, (Upload("big.txt", big.encode()),), ""), [])  # type: ignore[arg-type]
    assert articles == [] and len(problems) == 2 and all("200 KB" in p for p in problems)


def test_public_mode_never_shows_or_takes_a_geocoder_address(monkeypatch, tmp_path, gazetteer):
    from tests.nominatim_server import NominatimServer

    (tmp_path / "gazetteer.sqlite").symlink_to(gazetteer.path)
    monkeypatch.setenv("GEO_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv(ENV_PUBLIC, "1")
    with NominatimServer() as server:
        secret = f"{server.url}/?key=operator-secret-123"
        monkeypatch.setenv(ENV_GEOCODER_URL, secret)
        at = AppTest.from_file(APP, default_timeout=300).run()
        at.selectbox(key="geocoder").set_value("nominatim").run()
        assert not at.exception
        assert not [w for w in at.text_input if w.key == "geocoder_url"]  # no address to type
        assert "operator-secret" not in str(at._tree)  # nor the operator's shown
        assert server.searches() == ["Tartou"]  # the operator's service is the one asked


def correct_geneva_to_illinois(at: AppTest) -> None:
    at.query_params["place"] = "geonames:2660646"  # Geneva, Switzerland
    at.run()
    alternatives = at.selectbox(key="alternative:geonames:2660646")
    illinois = next(i for i, label in enumerate(alternatives.options) if "US" in label and "Illinois" in label)
    alternatives.select_index(illinois).run()
    at.button(key="use:geonames:2660646").click().run()
    assert not at.exception


def geneva_country(at: AppTest) -> str:
    table = at.dataframe[0].value
    return table[table["Written as"] == "Geneva"].iloc[0]["Country"]


def undo_the_correction(at: AppTest) -> None:
    key = next(k for k in at.session_state["selection"].table_keys if k.startswith("correction:"))
    at.query_params["place"] = key
    at.run()
    at.button(key=f"undo:{key}").click().run()
    assert not at.exception


@pytest.fixture
def public(tmp_path, monkeypatch, gazetteer):
    (tmp_path / "gazetteer.sqlite").symlink_to(gazetteer.path)
    monkeypatch.setenv("GEO_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv(ENV_PUBLIC, "1")
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # the sessions' own corrections
    tempfile.tempdir = None
    yield tmp_path
    tempfile.tempdir = None


def test_public_corrections_stay_in_their_session(public):
    alice = AppTest.from_file(APP, default_timeout=300)
    correct_geneva_to_illinois(alice)
    assert geneva_country(alice) == "US"
    bob = AppTest.from_file(APP, default_timeout=300).run()
    assert geneva_country(bob) == "CH"  # another visitor does not see it
    assert Corrections(public / "corrections.sqlite").version() == (0, 0)  # nothing shared


def test_editors_share_corrections_and_undo_only_their_own(public, monkeypatch):
    monkeypatch.setenv(ENV_EDITOR_TOKENS, "alice:alice-token-000001,bob:bob-token-0000022")
    alice = AppTest.from_file(APP, default_timeout=300).run()
    alice.text_input(key="editor_token").input("alice-token-000001").run()
    correct_geneva_to_illinois(alice)
    bob = AppTest.from_file(APP, default_timeout=300).run()
    bob.text_input(key="editor_token").input("bob-token-0000022").run()
    assert geneva_country(bob) == "US"  # shared
    undo_the_correction(bob)
    assert geneva_country(bob) == "US"  # bob's Undo cannot take back alice's
    seed = article_of("seed", SEED.read_text(encoding="utf-8"), "seed").text  # the text parsed: no front matter
    history = Corrections(public / "corrections.sqlite").history(article_id(seed))
    assert [(key, who) for key, _name, who, _session, _when in history] == [("geneva", "alice")]
    assert history[0][3] == alice.session_state[SESSION_KEY]
    visitor = AppTest.from_file(APP, default_timeout=300).run()
    visitor.text_input(key="editor_token").input("wrong-token").run()
    assert geneva_country(visitor) == "CH"  # a wrong token: the visitor's own store, not the shared one
    undo_the_correction(alice)
    assert geneva_country(alice) == "CH"


def test_shared_corrections_are_rate_limited(tmp_path):
    store = Corrections(tmp_path / "c.sqlite", max_per_minute=3)
    fix = Correction("Geneva", 41.9, -88.3)
    for _ in range(3):
        store.set("a", "geneva", fix, who="alice", session="s1")
    with pytest.raises(CorrectionRefused, match="3 corrections a minute"):
        store.set("a", "geneva", fix, who="alice", session="s1")
    store.set("a", "geneva", fix, who="bob", session="s2")  # another session has its own allowance
    assert not store.undo("a", "geneva", session="s3")
    assert store.undo("a", "geneva", session="s2") and len(store.history("a")) == 3


def test_two_places_corrected_to_one_point_stay_two():
    assert Correction("Geneva", 1.0, 2.0).candidate().place_id != Correction("Homs", 1.0, 2.0).candidate().place_id


def test_a_visitor_cannot_open_a_server_folder_as_a_corpus(public, monkeypatch):
    at = AppTest.from_file(APP, default_timeout=300).run()
    assert not at.exception
    assert not [w for w in at.text_input if w.key == "corpus_dir"]  # no folder to type
    assert not [w for w in at.toggle if w.key == "corpus_on"]  # and no archive configured
    local = AppTest.from_file(APP, default_timeout=300)
    monkeypatch.delenv(ENV_PUBLIC)
    local.run()
    assert [w for w in local.text_input if w.key == "corpus_dir"]  # locally, any folder may be opened
