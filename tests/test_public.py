"""A public deployment: what visitors may not do, and pages that render whatever the link says."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from streamlit.testing.v1 import AppTest

from geo.config import ENV_GEOCODER_URL, ENV_PUBLIC
from tests.conftest import ROOT
from ui.articles import PUBLIC_MAX_BYTES, gather
from ui.link import MAX_MIN_MENTIONS, link_of
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
