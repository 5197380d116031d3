"""Configuration from the environment, read in one place.

Every setting News Atlas takes from the environment is named here, with its default. Code
elsewhere asks ``settings()`` and never reads ``os.environ`` itself, so a newcomer finds every
knob in this file.

| variable | setting | default |
|---|---|---|
| ``GEO_CACHE_DIR`` | where runtime data lives (gazetteer, geocode cache, corrections) | ``cache/`` in the project |
| ``GEO_GEOCODER`` | the online geocoder: ``offline``, ``nominatim``, ``photon``, ``arcgis`` | ``offline`` |
| ``GEO_GEOCODER_URL`` | the online geocoder's base address (self-hosted, tests) | the service's own |
| ``NEWS_ATLAS_ARTICLES`` | the folder of sample articles the app offers | ``seeds/`` in the project |
| ``NEWS_ATLAS_CORPUS`` | a corpus output folder (``news-atlas corpus --out``) the app opens | none |
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "ENV_ARTICLES",
    "ENV_CACHE_DIR",
    "ENV_CORPUS",
    "ENV_GEOCODER",
    "ENV_GEOCODER_URL",
    "PROJECT_ROOT",
    "Settings",
    "settings",
]

PROJECT_ROOT = Path(__file__).resolve().parent.parent

ENV_CACHE_DIR = "GEO_CACHE_DIR"
ENV_GEOCODER = "GEO_GEOCODER"
ENV_GEOCODER_URL = "GEO_GEOCODER_URL"
ENV_ARTICLES = "NEWS_ATLAS_ARTICLES"
ENV_CORPUS = "NEWS_ATLAS_CORPUS"


@dataclass(frozen=True)
class Settings:
    """What the environment asks for (see the module's table)."""

    cache_dir: Path
    geocoder: str
    geocoder_url: str | None
    articles_dir: Path
    corpus_dir: Path | None = None


def settings(env: Mapping[str, str] | None = None) -> Settings:
    """Return the settings the environment (``os.environ``, or ``env``) asks for, defaults filled in."""
    env = os.environ if env is None else env
    return Settings(
        cache_dir=Path(env.get(ENV_CACHE_DIR) or PROJECT_ROOT / "cache"),
        geocoder=(env.get(ENV_GEOCODER) or "offline").strip().lower(),
        geocoder_url=env.get(ENV_GEOCODER_URL) or None,
        articles_dir=Path(env.get(ENV_ARTICLES) or PROJECT_ROOT / "seeds"),
        corpus_dir=Path(env[ENV_CORPUS]) if env.get(ENV_CORPUS) else None,
    )
