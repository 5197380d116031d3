"""What a public deployment refuses a browser, whatever the browser sends.

Streamlit 1.67 honours a websocket message ``clear_cache`` from any browser
(``AppSession._handle_clear_cache_request``): it empties ``st.cache_data`` and ``st.cache_resource``
for the whole server (and the sender's session state). The viewer's toolbar hides the menu item,
but a script can send the message. On a public deployment that would make the server load the
language model and open the gazetteer again for every visitor, as often as one visitor likes; so in
public mode the message is refused (logged, at most once a minute, with a count). The app's bounds
live outside those caches in any case (``ui.registry``, ``ui.limits``), so even a server where the
refusal could not be put in place keeps them.

Uploads are capped per session: Streamlit's upload endpoint takes any number of files (each up to
``server.maxUploadSize``) for a live session and holds them in memory until the session ends. In
public mode a session may hold ``UPLOADS_PER_SESSION`` files and ``UPLOAD_BYTES_PER_SESSION``
bytes; a file past either is refused (HTTP 413, logged at most once a minute) and the session's
files already held stay (``cap_uploads``).

It also counts the editor tokens each session enters: wrong ones are logged, and a session that
entered ``MAX_GUESSES`` wrong ones in ``GUESS_WINDOW`` seconds has no token taken for a while.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from geo.core.config import settings

__all__ = [
    "GUESS_WINDOW",
    "MAX_GUESSES",
    "UPLOADS_PER_SESSION",
    "UPLOAD_BYTES_PER_SESSION",
    "TokenGuesses",
    "cap_uploads",
    "refuse_clear_cache",
    "refused_clear_caches",
    "token_guesses",
]

log = logging.getLogger("news_atlas")


class _Refusals:
    """A count of what the server refused of one kind, said in the log at most once a minute (a
    flood of refusals must not flood the log)."""

    def __init__(self) -> None:
        self.count = 0
        self._logged = 0.0
        self._lock = threading.Lock()

    def note(self) -> int | None:
        """Count one refusal; return the count when it is time to log it, else None."""
        with self._lock:
            self.count += 1
            now = time.monotonic()
            if now - self._logged < 60.0:
                return None
            self._logged = now
            return self.count


_CLEAR_CACHE = _Refusals()
_UPLOADS = _Refusals()


def refused_clear_caches() -> int:
    """Return how many ``clear_cache`` messages this server has refused."""
    return _CLEAR_CACHE.count


def refuse_clear_cache() -> bool:
    """Make Streamlit refuse the ``clear_cache`` message while public mode is on (the check is made
    at each message, so a process that is not public clears as before); return whether it is in
    place. Idempotent."""
    from streamlit.runtime.app_session import AppSession

    handler = getattr(AppSession, "_handle_clear_cache_request", None)
    if handler is None:  # another Streamlit: the bounds still hold, the caches may be emptied
        log.warning("this Streamlit has no clear_cache handler to guard; a browser may empty the caches")
        return False
    if getattr(handler, "news_atlas_guard", False):
        return True

    def guarded(self: Any) -> None:
        if not settings().public:
            handler(self)
            return
        if (count := _CLEAR_CACHE.note()) is not None:
            log.warning("refused a browser's clear_cache message (public mode; %d refused so far)", count)

    guarded.news_atlas_guard = True  # type: ignore[attr-defined]
    AppSession._handle_clear_cache_request = guarded  # type: ignore[method-assign]
    return True


#: Files, and bytes, one public session's uploads may hold at once: the sidebar's uploader and the
#: atlas file's, with room to spare (a public article is 200 KB at most; an atlas 5 MB).
UPLOADS_PER_SESSION = 20
UPLOAD_BYTES_PER_SESSION = 12_000_000


def cap_uploads() -> bool:
    """Make Streamlit's upload manager refuse a public session's file past its caps (the check is
    made at each upload, so a process that is not public takes files as before); return whether
    the cap is in place. Idempotent."""
    from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager

    adder = MemoryUploadedFileManager.add_file
    if getattr(adder, "news_atlas_guard", False):
        return True
    try:
        from starlette.exceptions import HTTPException
    except ImportError:  # another server: one file is still bounded by server.maxUploadSize
        log.warning("this Streamlit serves uploads without Starlette; uploads per session are not capped")
        return False

    def capped(self: Any, session_id: str, file: Any) -> None:
        if settings().public:
            with self._lock:
                held = {k: v for k, v in self.file_storage.get(session_id, {}).items() if k != file.file_id}
                count, size = len(held), sum(len(f.data) for f in held.values())
            if count >= UPLOADS_PER_SESSION or size + len(file.data) > UPLOAD_BYTES_PER_SESSION:
                if (refused := _UPLOADS.note()) is not None:
                    log.warning(
                        "refused an upload: the session holds %d files, %.1f MB (public mode; %d refused so far)",
                        count,
                        size / 1e6,
                        refused,
                    )
                raise HTTPException(status_code=413, detail="Too many files for one visit")
        adder(self, session_id, file)

    capped.news_atlas_guard = True  # type: ignore[attr-defined]
    MemoryUploadedFileManager.add_file = capped  # type: ignore[method-assign]
    return True


#: Wrong editor tokens a session may enter in ``GUESS_WINDOW`` seconds; past that, no token (not
#: even a right one) is taken from the session until the window has passed.
MAX_GUESSES = 5
GUESS_WINDOW = 600.0
#: Sessions whose guesses are remembered at once (the oldest forgotten first).
_MAX_SESSIONS = 10_000


@dataclass
class _Guesses:
    wrong: list[float] = field(default_factory=list)  # when each wrong token was entered
    last: bytes = b""  # the digest of the token checked last, and what it was found to be
    verdict: str | None = None
    locked: bool = False


class TokenGuesses:
    """Editor tokens checked per session, wrong ones counted and logged (never the token itself)."""

    def __init__(self, max_guesses: int = MAX_GUESSES, window: float = GUESS_WINDOW) -> None:
        self.max_guesses, self.window = max_guesses, window
        self._lock = threading.Lock()
        self._sessions: OrderedDict[str, _Guesses] = OrderedDict()

    def check(self, session: str, token: str, tokens: Mapping[str, str]) -> str | None:
        """Return the editor ``token`` names for ``session``, or None (no token, a wrong one, or
        too many wrong ones lately). The same token again is not a new guess."""
        if not token:
            return None
        digest = hashlib.sha256(token.encode("utf-8", "surrogatepass")).digest()
        now = time.monotonic()
        with self._lock:
            guesses = self._sessions.pop(session, None) or _Guesses()
            self._sessions[session] = guesses  # the most recent last
            while len(self._sessions) > _MAX_SESSIONS:
                self._sessions.popitem(last=False)
            if guesses.last == digest and not guesses.locked:
                return guesses.verdict
            guesses.wrong = [when for when in guesses.wrong if now - when < self.window]
            guesses.last = digest
            if len(guesses.wrong) >= self.max_guesses:
                if not guesses.locked:
                    log.warning(
                        "session %s: editor tokens refused for a while (%d wrong)", session[:8], len(guesses.wrong)
                    )
                guesses.locked, guesses.verdict = True, None
                return None
            guesses.locked = False
            guesses.verdict = _editor_of(token, tokens)
            if guesses.verdict is None:
                guesses.wrong.append(now)
                log.warning(
                    "session %s: a wrong editor token (%d in %g min)", session[:8], len(guesses.wrong), self.window / 60
                )
            return guesses.verdict

    def locked(self, session: str) -> bool:
        """Return whether ``session`` entered too many wrong tokens lately."""
        with self._lock:
            guesses = self._sessions.get(session)
            return guesses is not None and guesses.locked


def _editor_of(token: str, tokens: Mapping[str, str]) -> str | None:
    """Return the editor whose token ``token`` is, comparing each in constant time."""
    given = token.encode("utf-8", "surrogatepass")
    found = None
    for known, name in tokens.items():
        if hmac.compare_digest(given, known.encode("utf-8", "surrogatepass")):
            found = name
    return found


_GUESSES = TokenGuesses()


def token_guesses() -> TokenGuesses:
    """Return the server's one record of editor-token guesses."""
    return _GUESSES
