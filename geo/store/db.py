"""SQLite connections shared by the gazetteer, the geocode cache and the corrections store."""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from geo.core.errors import CacheError, GeoError
from geo.store import notices

__all__ = ["FallbackStore", "PerThreadConnection", "SharedConnection", "memory_connection"]

log = logging.getLogger(__name__)

T = TypeVar("T")


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


class FallbackStore:
    """A SQLite file of the people's work (corrections, atlases) that carries on in memory, with
    what it still holds, when the file cannot be used (a full disk, a read-only or damaged file),
    and says so once (``memory_notice``). Safe across threads.

    A subclass names what it holds (``what``), the notice and the error it raises when even the
    memory copy fails, and passes the function that creates its tables.
    """

    #: What the store holds, for its log lines and errors ("corrections").
    what = "data"
    #: The one-line notice a person sees when the store carries on in memory.
    memory_notice = ""
    #: Raised when the memory copy itself fails.
    error: type[GeoError] = CacheError

    def __init__(self, path: Path, create: Callable[[sqlite3.Connection], None]) -> None:
        self.path = path
        self._create = create
        self._conn: PerThreadConnection | SharedConnection = PerThreadConnection(self._open, path=path)
        self._degrade_lock = threading.Lock()
        self._conn()  # open (or carry on in memory) now, not at the first use

    @property
    def in_memory(self) -> bool:
        """Return whether this store carries on in memory (its file could not be used)."""
        return isinstance(self._conn, SharedConnection)

    def _open(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            self._create(conn)
        except (sqlite3.Error, OSError) as err:
            return self._to_memory(err, None)
        return conn

    def _to_memory(self, err: Exception, current: sqlite3.Connection | None) -> sqlite3.Connection:
        """Carry on in memory, with what ``current`` still holds; return the memory connection."""
        log.info("the %s at %s cannot be used: %s", self.what, self.path, err)
        with self._degrade_lock:
            if isinstance(self._conn, SharedConnection):  # another thread did it already
                return self._conn()
            memory = memory_connection()
            if current is not None:
                try:
                    current.backup(memory)
                except sqlite3.Error as again:
                    log.info("the %s could not be copied: %s", self.what, again)
            try:
                self._create(memory)
            except sqlite3.Error as again:  # a copy of a damaged file: start empty
                log.info("starting the %s afresh: %s", self.what, again)
                memory = memory_connection()
                self._create(memory)
            self._conn = SharedConnection(memory)
        notices.notify(self.memory_notice)
        return memory

    def _use(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Return ``work`` done with this thread's connection; on a database error, carry on in
        memory and do it there."""
        conn = self._conn()
        try:
            return work(conn)
        except sqlite3.Error as err:
            if isinstance(self._conn, SharedConnection) and self._conn() is conn:
                raise self.error(f"the {self.what} cannot be used ({err})") from err
            return work(self._to_memory(err, conn))
