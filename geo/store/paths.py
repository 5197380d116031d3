"""Where News Atlas keeps its runtime data."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from geo.core.config import PROJECT_ROOT, settings

__all__ = ["PROJECT_ROOT", "cache_dir", "fallback_dir"]

log = logging.getLogger(__name__)


def cache_dir() -> Path:
    """Return the runtime data folder (``$GEO_CACHE_DIR`` or ``cache/`` in the project), created
    when it can be. A folder that cannot be created is still returned: each store then degrades
    on its own (a temporary gazetteer, caches in memory) with a notice."""
    path = settings().cache_dir
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        log.debug("cannot create the cache folder %s: %s", path, err)
    return path


def fallback_dir() -> Path:
    """Return the folder a gazetteer is built in when the cache folder cannot be written: a folder
    of the system's temporary folder, created (raises OSError when that cannot be written either)."""
    path = Path(tempfile.gettempdir()) / "news-atlas-cache"
    path.mkdir(parents=True, exist_ok=True)
    return path
