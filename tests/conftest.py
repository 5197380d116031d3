"""Shared fixtures: the real gazetteer and spaCy pipeline, loaded once per test session."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "russia-withdraws-from-syria-2016.txt"


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


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
