"""What the server keeps for every session outside Streamlit's caches: its bounds and back-offs.

Streamlit's ``st.cache_resource`` and ``st.cache_data`` can be emptied by any browser (the
websocket message ``clear_cache``, which the menu's "Clear cache" sends), so nothing that bounds a
visitor lives in them. Each thing here is one module-level object per server process, made when
the module is first imported (a development server that reloads changed sources makes them anew).

This module holds the public sessions' own corrections stores (one file each under the temporary
folder, deleted when the session ends) and the parse results kept in memory (capped in count, in
bytes, and in the size of one result), and the public sessions' online look-up budgets (what each
has spent, its answers, closed when it ends). ``ui.limits`` holds the parse queue,
``ui.resources`` the fetch back-off and the online geocoders, ``ui.guards`` the editor-token
guesses.
"""

from __future__ import annotations

import logging
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Hashable
from pathlib import Path

from geopy.location import Location

from geo.parse.parsed import ParseResult
from geo.resolve.online import LookupBudget
from geo.store.corrections import Corrections

__all__ = [
    "BUDGET_SESSIONS",
    "RECONNECT_SECONDS",
    "RESULTS_MAX_BYTES",
    "RESULTS_MAX_ENTRIES",
    "RESULT_MAX_BYTES",
    "SESSIONS_FOLDER",
    "STALE_SECONDS",
    "OnlineBudgets",
    "ResultCache",
    "SessionStores",
    "online_budgets",
    "parse_results",
    "result_bytes",
    "session_stores",
]

log = logging.getLogger("news_atlas")

#: The folder (in the system's temporary folder) of the public sessions' own corrections.
SESSIONS_FOLDER = "news-atlas-sessions"
#: Seconds a session's store outlives the end of its connection: Streamlit keeps a disconnected
#: session 2 minutes for the browser to reconnect to (a phone locked, a network hiccup), and a
#: session that comes back finds its corrections.
RECONNECT_SECONDS = 150.0
#: A store file nobody has written for this long is deleted when the next session starts (left
#: by a server that was stopped before its sessions ended).
STALE_SECONDS = 6 * 3600.0


class SessionStores:
    """The corrections store of each public session, by session id; removed (file and all) once the
    session has ended and not come back within ``grace`` seconds."""

    def __init__(self, folder: Path | None = None, *, grace: float = RECONNECT_SECONDS) -> None:
        self._folder = folder
        self.grace = grace
        self._lock = threading.Lock()
        self._stores: dict[str, Corrections] = {}
        self._ending: dict[str, threading.Timer] = {}
        self._swept = False

    @property
    def folder(self) -> Path:
        """Where the stores are (the temporary folder's ``news-atlas-sessions``, unless given)."""
        return self._folder or Path(tempfile.gettempdir()) / SESSIONS_FOLDER

    def path(self, session: str) -> Path:
        return self.folder / f"{session}.sqlite"

    def get(self, session: str) -> Corrections:
        """Return ``session``'s store (made on first use); a session that comes back keeps its own."""
        with self._lock:
            timer = self._ending.pop(session, None)
            if timer is not None:
                timer.cancel()
            store = self._stores.get(session)
            if store is None or store.path != self.path(session):
                if not self._swept:
                    self._swept = True
                    self._sweep_stale()
                self.folder.mkdir(exist_ok=True)
                store = self._stores[session] = Corrections(self.path(session))
            return store

    def at(self, path: str | Path) -> Corrections | None:
        """Return the live store kept at ``path``, if it is one of these."""
        with self._lock:
            return next((store for store in self._stores.values() if str(store.path) == str(path)), None)

    def end(self, session: str) -> None:
        """Say that ``session`` has ended: its store is removed after ``grace`` seconds, unless it comes back."""
        with self._lock:
            if session not in self._stores or session in self._ending:
                return
            if self.grace <= 0:
                self._remove(session)
                return
            timer = threading.Timer(self.grace, self._expire, args=(session,))
            timer.daemon = True
            timer.name = f"news-atlas-session-end-{session[:8]}"
            self._ending[session] = timer
            timer.start()

    def __len__(self) -> int:
        with self._lock:
            return len(self._stores)

    def _expire(self, session: str) -> None:
        with self._lock:
            if self._ending.pop(session, None) is not None:
                self._remove(session)

    def _remove(self, session: str) -> None:
        store = self._stores.pop(session, None)
        path = store.path if store is not None else self.path(session)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        log.info("a session ended: its own corrections were deleted")

    def _sweep_stale(self) -> None:
        """Delete store files nobody has written for ``STALE_SECONDS`` (a stopped server's)."""
        cutoff = time.time() - STALE_SECONDS
        try:
            files = list(self.folder.glob("*.sqlite*"))
        except OSError:
            return
        for path in files:
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink()
            except OSError:
                continue


_SESSION_STORES = SessionStores()


def session_stores() -> SessionStores:
    """Return the server's one registry of public sessions' stores."""
    return _SESSION_STORES


#: Most parse results kept in the server's memory, their estimated bytes together, and the largest
#: one kept (a larger one is parsed again when asked for again by another session).
RESULTS_MAX_ENTRIES = 256
RESULTS_MAX_BYTES = 64_000_000
RESULT_MAX_BYTES = 4_000_000


def result_bytes(result: ParseResult) -> int:
    """Return an estimate of the memory ``result`` holds (its values, not Python's overheads exactly)."""
    total = 200
    seen: set[int] = set()
    for item in result.mentions:
        total += 320 + 2 * (len(item.mention.text) + len(item.mention.excerpt))
        for candidate in item.candidates:
            if id(candidate) not in seen:  # a candidate may be shared by several mentions
                seen.add(id(candidate))
                total += 260 + 2 * len(candidate.name)
            total += 8
    return total


class ResultCache:
    """Parse results by key, in memory, least recently used out first past ``max_entries`` or
    ``max_bytes`` (estimated by ``result_bytes``); a result over ``max_result`` is not kept."""

    def __init__(
        self,
        max_entries: int = RESULTS_MAX_ENTRIES,
        max_bytes: int = RESULTS_MAX_BYTES,
        max_result: int = RESULT_MAX_BYTES,
    ) -> None:
        self.max_entries, self.max_bytes, self.max_result = max_entries, max_bytes, max_result
        self._lock = threading.Lock()
        self._items: OrderedDict[Hashable, tuple[ParseResult, int]] = OrderedDict()
        self._bytes = 0

    def get(self, key: Hashable) -> ParseResult | None:
        with self._lock:
            found = self._items.get(key)
            if found is None:
                return None
            self._items.move_to_end(key)
            return found[0]

    def put(self, key: Hashable, result: ParseResult) -> bool:
        """Keep ``result`` under ``key``; return whether it was kept."""
        size = result_bytes(result)
        if size > self.max_result:
            log.info("a parse of about %d bytes is not kept in memory", size)
            return False
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            self._items[key] = (result, size)
            self._bytes += size
            while len(self._items) > self.max_entries or self._bytes > self.max_bytes:
                _, (_, dropped) = self._items.popitem(last=False)
                self._bytes -= dropped
        return True

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def size(self) -> int:
        """Return the estimated bytes of the results kept."""
        with self._lock:
            return self._bytes

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0


_RESULTS = ResultCache()


def parse_results() -> ResultCache:
    """Return the server's one cache of parse results in memory."""
    return _RESULTS


#: Sessions whose online budget is remembered at once (the longest ended first out).
BUDGET_SESSIONS = 10_000


class OnlineBudgets:
    """Each public session's online look-ups: its ``LookupBudget`` (``per_session`` at most, closed
    when the session ends, so that nothing it queued is sent after) and its answers (in memory,
    never the shared cache on disk; bounded, since only a look-up sent adds one)."""

    def __init__(self, max_sessions: int = BUDGET_SESSIONS) -> None:
        self.max_sessions = max_sessions
        self._lock = threading.Lock()
        self._sessions: OrderedDict[str, tuple[LookupBudget, dict[tuple[str, str], Location | None]]] = OrderedDict()

    def get(
        self, session: str, per_session: int, *, connected: bool = True
    ) -> tuple[LookupBudget, dict[tuple[str, str], Location | None]]:
        """Return ``session``'s budget and answers (made on first use). A session that comes back
        (``connected``) after it ended has its budget opened again, with what it spent still spent;
        a run that goes on after its browser left (``connected`` False) finds it closed."""
        with self._lock:
            found = self._sessions.pop(session, None)
            if found is None:
                found = (LookupBudget(per_session), {})
                if not connected:
                    found[0].close()
            elif found[0].closed and connected:
                found[0].reopen()
            self._sessions[session] = found  # the most recent last
            while len(self._sessions) > self.max_sessions:
                _, (budget, answers) = self._sessions.popitem(last=False)
                budget.close()
                answers.clear()
            return found

    def end(self, session: str) -> None:
        """Say that ``session`` has ended: no look-up of it is sent from now on; its answers go."""
        with self._lock:
            found = self._sessions.get(session)
            if found is None:
                return
            found[0].close()
            found[1].clear()
            self._sessions.move_to_end(session, last=False)  # the first to go when many are kept

    def spent(self, session: str) -> int:
        """Return the look-ups ``session`` has sent (0 for one never seen)."""
        with self._lock:
            found = self._sessions.get(session)
            return found[0].sent if found is not None else 0

    def __len__(self) -> int:
        with self._lock:
            return len(self._sessions)


_BUDGETS = OnlineBudgets()


def online_budgets() -> OnlineBudgets:
    """Return the server's one record of the public sessions' online budgets."""
    return _BUDGETS
