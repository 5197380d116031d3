"""SQLite connections shared by the gazetteer, the geocode cache and the corrections store."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable


class PerThreadConnection:
    """One SQLite connection per thread, opened on first use by ``opener``.

    Streamlit serves each session from its own thread, and a sqlite3 connection is best kept to
    the thread that made it.
    """

    def __init__(self, opener: Callable[[], sqlite3.Connection]) -> None:
        self._opener = opener
        self._local = threading.local()

    def __call__(self) -> sqlite3.Connection:
        """Return this thread's connection, opening it if needed."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._opener()
        return conn
