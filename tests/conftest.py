"""Shared fixtures: the real gazetteer and spaCy pipeline, loaded once per test session, and
factories for the pipeline's values (mentions and places) built by hand."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from geo.core.features import Feature
from geo.core.geometry import great_circle_km
from geo.core.provenance import Provenance, Step
from geo.core.values import Mention, Place

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "russia-withdraws-from-syria-2016.txt"


km = great_circle_km  # distances in tests are the geoparser's own


@pytest.fixture(scope="session")
def gazetteer():
    from geo.gazetteer import open_gazetteer

    return open_gazetteer()


@pytest.fixture(scope="session")
def nlp(gazetteer):
    from geo.recognize.extract import load_pipeline

    return load_pipeline(gazetteer)


@pytest.fixture(scope="session")
def geoparser(gazetteer, nlp, tmp_path_factory):
    from geo.parse.pipeline import Geoparser
    from geo.resolve.geocode import CachedGeocoder, GazetteerGeocoder

    cache = tmp_path_factory.mktemp("cache") / "geocode.sqlite"
    return Geoparser(gazetteer=gazetteer, nlp=nlp, geocoder=CachedGeocoder(GazetteerGeocoder(gazetteer), path=cache))


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


# A sentence ends after . ! or ? and the space that follows, or at a line break (captions, paragraphs).
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+|\s*\n\s*")


def mention_in(text: str, article: str, *, label: str = "GPE", finder: str = "ner", occurrence: int = 0) -> Mention:
    """Return the Mention of ``text`` in ``article`` (its ``occurrence``-th appearance, from 0),
    with offsets, sentence bounds and excerpt as the extractor fills them."""
    start = -1
    for _ in range(occurrence + 1):
        start = article.index(text, start + 1)
    end = start + len(text)
    sent_start, sent_end = 0, len(article)
    for brk in _SENTENCE_BREAK.finditer(article):
        if brk.end() <= start:
            sent_start = brk.end()
        elif brk.start() >= end:
            sent_end = brk.start()
            break
    sentence = article[sent_start:sent_end]
    sent_start += len(sentence) - len(sentence.lstrip())
    sent_end -= len(sentence) - len(sentence.rstrip())
    excerpt = " ".join(article[sent_start:sent_end].split())
    return Mention(start, end, text, label, finder, sent_start, sent_end, excerpt)


def place_named(
    name: str = "Aleppo",
    *,
    kind: str = "city",
    lat: float = 36.2,
    lon: float = 37.16,
    country: str | None = "SY",
    feature: Feature = Feature.CITY,
    dataset: str = "test",
    place_id: str | None = None,
) -> Place:
    """Return a Place the gazetteer's ranked choice placed; its id is ``dataset:name`` unless given."""
    provenance = Provenance(Step.GAZETTEER, dataset)
    return Place(place_id or f"{dataset}:{name}", name, lat, lon, kind, country, feature, provenance)


@pytest.fixture
def make_mention() -> Callable[..., Mention]:
    """``make_mention(text, article, *, label="GPE", finder="ner", occurrence=0)``: see mention_in."""
    return mention_in


@pytest.fixture
def make_place() -> Callable[..., Place]:
    """``make_place(name="Aleppo", *, kind="city", lat=36.2, lon=37.16, ...)``: see place_named."""
    return place_named


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, one per test module (the browser tests; see tests/browser.py)."""
    from playwright.sync_api import sync_playwright

    from tests.browser import launch

    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def app_url():
    """The address of ``streamlit run app.py``, one server per test module."""
    from tests.browser import running_app

    with running_app() as url:
        yield url


#: Times a failed browser test is run again. A real browser against a real server on a shared
#: 2-core machine has timing faults the product does not (a rerun racing a click, a fetch while the
#: server is busy); one rerun, reported as "R" in pytest's output, keeps those from failing CI while
#: a fault that repeats still fails. The console of the page is in a browser test's failure message.
BROWSER_RERUNS = 1


def pytest_collection_modifyitems(config, items) -> None:
    for item in items:
        if item.get_closest_marker("browser") is not None:
            item.add_marker(pytest.mark.flaky(reruns=BROWSER_RERUNS, reruns_delay=2))


@pytest.fixture
def fresh_caches():
    """Streamlit's resource and data caches, the parse results in memory and the notices are
    process-wide: start and end empty."""
    import streamlit as st

    from geo.store import notices
    from ui.registry import parse_results

    st.cache_resource.clear()
    st.cache_data.clear()
    notices.clear()
    parse_results().clear()
    yield
    st.cache_resource.clear()
    st.cache_data.clear()
    notices.clear()
    parse_results().clear()
