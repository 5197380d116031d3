"""The offline gazetteer: place names from registry packages, in an indexed SQLite file."""

from __future__ import annotations

from geo.gazetteer.store import Gazetteer, default_path, open_gazetteer

__all__ = ["Gazetteer", "default_path", "open_gazetteer"]
