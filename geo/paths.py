"""Where News Atlas keeps its runtime data."""

from __future__ import annotations

from pathlib import Path

from geo.config import PROJECT_ROOT, settings

__all__ = ["PROJECT_ROOT", "cache_dir"]


def cache_dir() -> Path:
    """Return the runtime data folder (``$GEO_CACHE_DIR`` or ``cache/`` in the project), created."""
    path = settings().cache_dir
    path.mkdir(parents=True, exist_ok=True)
    return path
