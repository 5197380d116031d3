"""Where News Atlas keeps its runtime data."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def cache_dir() -> Path:
    """Return the runtime data folder (``$GEO_CACHE_DIR`` or ``cache/`` in the project), created."""
    path = Path(os.environ.get("GEO_CACHE_DIR") or PROJECT_ROOT / "cache")
    path.mkdir(parents=True, exist_ok=True)
    return path
