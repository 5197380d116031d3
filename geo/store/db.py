"""SQLite connections shared by the gazetteer, the geocode cache and the corrections store."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

__all__ = ["PerThreadConnection", "SharedConnection", "memory_connection"]


class PerThreadConnection:
    """One SQLite connection per thread, opened on first use by ``opener``.

    Streamlit serves each session from its own thread, and a sqlite3 connection is best kept to
    the thread that made it. With ``path``, a connection whose file has gone (the cache folder
    deleted while the app runs) is closed and opened again; ``reset`` makes every thread reopen.
    A process forked from this one (``geo parse --jobs``) opens its own: SQLite connections must
    not cross a fork, so the inherited one is left alone, never used.
    """

    def __init__(self, opener: Callable[[], sqlite3.Connection], *, path: Path | None = None) -> None:
        self._opener = opener
        self._path = path
        self._local = threading.local()

    def __call__(self) -> sqlite3.Connection:
        """Return this thread's connection, opening it (again) if needed."""
        local = self._local
        conn: sqlite3.Connection | None = getattr(local, "conn", None)
        if conn is not None and getattr(local, "pid", None) != os.getpid():
            local.inherited = conn  # opened before a fork: kept (not closed, not used) in this process
            conn = None
        elif conn is not None and self._path is not None and not self._path.exists():
            with contextlib.suppress(sqlite3.Error):
                conn.close()
            conn = None
        if conn is None:
            conn = local.conn = self._opener()
            local.pid = os.getpid()
        return conn

    def reset(self) -> None:
        """Make every thread open its connection again at its next use."""
        self._local = threading.local()  # the old connections close as they are collected


class SharedConnection:
    """One connection for every thread: a degraded store kept in memory for this process."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def __call__(self) -> sqlite3.Connection:
        """Return the connection."""
        return self._conn

    def reset(self) -> None:
        """Do nothing: a memory store has no file to reopen."""


def memory_connection() -> sqlite3.Connection:
    """Return a new in-memory SQLite connection usable from any thread."""
    return sqlite3.connect(":memory:", check_same_thread=False)
