"""What News Atlas keeps on disk in ``cache/``: where (paths), the SQLite connections (db), the notices a
degraded store leaves, and a person's corrections. Imports only ``geo.core``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from geo.core.lazy import exports

if TYPE_CHECKING:
    from geo.store.corrections import Correction, Corrections, Edits, article_id
    from geo.store.db import PerThreadConnection, SharedConnection
    from geo.store.paths import cache_dir

__getattr__ = exports(
    __name__,
    {
        "cache_dir": "paths",
        "PerThreadConnection": "db",
        "SharedConnection": "db",
        "Correction": "corrections",
        "Corrections": "corrections",
        "Edits": "corrections",
        "article_id": "corrections",
    },
)
__all__ = ["Correction", "Corrections", "Edits", "PerThreadConnection", "SharedConnection", "article_id", "cache_dir"]
