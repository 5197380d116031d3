"""Shared fixtures: the real gazetteer and spaCy pipeline, loaded once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.geometry import great_circle_km

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "russia-withdraws-from-syria-2016.txt"


km = great_circle_km  # distances in tests are the geoparser's own


@pytest.fixture(scope="session")
def gazetteer():
    from geo.gazetteer import open_gazetteer

    return open_gazetteer()


@pytest.fixture(scope="session")
def nlp(gazetteer):
    from geo.extract import load_pipeline

    return load_pipeline(gazetteer)


@pytest.fixture(scope="session")
def geoparser(gazetteer, nlp, tmp_path_factory):
    from geo.geocode import CachedGeocoder, GazetteerGeocoder
    from geo.pipeline import Geoparser

    cache = tmp_path_factory.mktemp("cache") / "geocode.sqlite"
    return Geoparser(gazetteer=gazetteer, nlp=nlp, geocoder=CachedGeocoder(GazetteerGeocoder(gazetteer), path=cache))


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")
