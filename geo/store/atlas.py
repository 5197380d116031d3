"""Atlases saved on the server and reopened by a link: ``cache/atlases.sqlite``.

An atlas is one JSON document (its format, reader and writer: ``geo.outputs.atlas``; this store
keeps it as text and never reads it). Each is kept under an unguessable id
(``secrets.token_urlsafe``, 128 bits): the id is the link, and whoever holds the link may open it.

The store is bounded by ``AtlasLimits`` (the operator's settings, ``geo.core.config``): the largest
atlas, how many atlases and how many bytes it keeps, the days each is kept, and the saves one
session may make. An atlas past its days is gone (deleted at the next save); a save that would pass
a bound is refused with a sentence that says which (``AtlasRefused``), never by deleting another
atlas before its time.

A store that cannot be opened or written carries on in memory for the process, as the corrections
do (``geo.store.corrections``), with one notice: links made then last until the app restarts.
"""

from __future__ import annotations

import logging
import re
import secrets
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from geo.core.config import Settings, settings
from geo.core.errors import GeoError
from geo.store.db import FallbackStore
from geo.store.paths import cache_dir

__all__ = ["ID_PATTERN", "MEMORY_NOTICE", "AtlasLimits", "AtlasMissing", "AtlasRefused", "AtlasStore", "new_id"]

log = logging.getLogger(__name__)


#: The notice of an atlas store that carries on in memory.
MEMORY_NOTICE = "Atlases cannot be saved in the cache folder: links made now work until the app restarts."
#: What an atlas id looks like (``new_id``'s, 22 characters); anything else is not looked up.
ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")
_DAY = 86_400.0


class AtlasRefused(GeoError):
    """An atlas was not saved: it is too large, or the server holds as many as it may."""


class AtlasMissing(GeoError):
    """No atlas has this id: it never existed, or it expired."""


@dataclass(frozen=True)
class AtlasLimits:
    """The bounds of the atlas store (0 for ``days``: kept until deleted; 0 for a count: none)."""

    max_bytes: int = 5_000_000
    max_count: int = 2000
    max_total_bytes: int = 500_000_000
    days: int = 30
    #: Saves one session may make (public mode; None: no bound).
    per_session: int | None = None

    @classmethod
    def of(cls, config: Settings | None = None) -> AtlasLimits:
        """Return the limits the settings ask for (``per_session`` in public mode only)."""
        config = config or settings()
        return cls(
            max_bytes=config.atlas_max_bytes,
            max_count=config.atlas_max_count,
            max_total_bytes=config.atlas_max_total_bytes,
            days=config.atlas_days,
            per_session=config.atlas_per_session if config.public else None,
        )


def new_id() -> str:
    """Return a new atlas id: 128 random bits, URL-safe."""
    return secrets.token_urlsafe(16)


class AtlasStore(FallbackStore):
    """The saved atlases: ``cache/atlases.sqlite`` (or ``path``). Safe across threads."""

    what = "atlases"
    memory_notice = MEMORY_NOTICE
    error = GeoError

    def __init__(
        self, path: Path | None = None, limits: AtlasLimits | None = None, *, clock: Callable[[], float] = time.time
    ) -> None:
        self.limits = limits or AtlasLimits()
        self._clock = clock
        super().__init__(Path(path) if path else cache_dir() / "atlases.sqlite", _create)

    def save(self, document: str, *, session: str | None = None) -> str:
        """Keep ``document`` (an atlas's JSON) and return its new id. Raises AtlasRefused when it
        is larger than ``max_bytes``, when ``session`` saved ``per_session`` atlases already, or
        when the server keeps ``max_count`` atlases or ``max_total_bytes`` already (expired ones
        are deleted first)."""
        size = len(document.encode("utf-8", "surrogatepass"))
        limits = self.limits
        if limits.max_bytes and size > limits.max_bytes:
            raise AtlasRefused(
                f"this atlas is {_size(size)}; this server keeps atlases of up to {_size(limits.max_bytes)}: "
                "leave out some articles, or download the atlas file instead"
            )
        now = self._clock()
        atlas_id = new_id()

        def insert(conn: sqlite3.Connection) -> None:
            with conn:
                conn.execute("DELETE FROM atlases WHERE expires IS NOT NULL AND expires <= ?", (now,))
                if limits.per_session is not None and session is not None:
                    (mine,) = conn.execute("SELECT count(*) FROM atlases WHERE session = ?", (session,)).fetchone()
                    if mine >= limits.per_session:
                        raise AtlasRefused(
                            f"this visit has saved as many atlases as this server allows one visit ({mine}); "
                            "download the atlas file instead"
                        )
                count, total = conn.execute("SELECT count(*), coalesce(sum(bytes), 0) FROM atlases").fetchone()
                if (limits.max_count and count >= limits.max_count) or (
                    limits.max_total_bytes and total + size > limits.max_total_bytes
                ):
                    raise AtlasRefused(
                        "this server keeps as many atlases as its operator allows; try again later, "
                        "or download the atlas file instead"
                    )
                expires = now + limits.days * _DAY if limits.days else None
                conn.execute(
                    "INSERT INTO atlases (id, body, bytes, created, expires, session) VALUES (?, ?, ?, ?, ?, ?)",
                    (atlas_id, document, size, now, expires, session),
                )

        self._use(insert)
        return atlas_id

    def load(self, atlas_id: str) -> str:
        """Return the document kept under ``atlas_id``; raise AtlasMissing when there is none (an
        id of the wrong shape, never saved here, or expired)."""
        if not isinstance(atlas_id, str) or not ID_PATTERN.fullmatch(atlas_id):
            raise AtlasMissing("this is not an atlas link: its id is malformed")
        now = self._clock()
        row = self._use(
            lambda conn: conn.execute("SELECT body, expires FROM atlases WHERE id = ?", (atlas_id,)).fetchone()
        )
        if row is None:
            raise AtlasMissing("no atlas is saved under this link on this server: it may have expired")
        body, expires = row
        if expires is not None and expires <= now:
            raise AtlasMissing("this atlas has expired: atlases are kept for a limited time on this server")
        return str(body)

    def delete(self, atlas_id: str) -> bool:
        """Delete the atlas ``atlas_id``; return whether there was one."""

        def remove(conn: sqlite3.Connection) -> bool:
            with conn:
                return conn.execute("DELETE FROM atlases WHERE id = ?", (atlas_id,)).rowcount > 0

        return self._use(remove)

    def stats(self) -> tuple[int, int]:
        """Return how many atlases are kept, and their bytes together (expired ones included until the next save)."""
        count, total = self._use(
            lambda conn: conn.execute("SELECT count(*), coalesce(sum(bytes), 0) FROM atlases").fetchone()
        )
        return int(count), int(total)


def _create(conn: sqlite3.Connection) -> None:
    conn.execute(
        "CREATE TABLE IF NOT EXISTS atlases (id TEXT PRIMARY KEY, body TEXT NOT NULL, bytes INTEGER NOT NULL,"
        " created REAL NOT NULL, expires REAL, session TEXT)"
    )
    conn.execute("CREATE INDEX IF NOT EXISTS atlases_session ON atlases (session)")
    conn.commit()


def _size(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 1_000_000 else f"{size / 1000:.0f} KB"
