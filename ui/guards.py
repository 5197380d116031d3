"""What a public deployment refuses a browser, whatever the browser sends.

Streamlit 1.67 honours a websocket message ``clear_cache`` from any browser
(``AppSession._handle_clear_cache_request``): it empties ``st.cache_data`` and ``st.cache_resource``
for the whole server (and the sender's session state). The viewer's toolbar hides the menu item,
but a script can send the message. On a public deployment that would make the server load the
language model and open the gazetteer again for every visitor, as often as one visitor likes; so in
public mode the message is refused (logged, at most once a minute, with a count). The app's bounds
live outside those caches in any case (``ui.registry``, ``ui.limits``), so even a server where the
refusal could not be put in place keeps them.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from geo.core.config import settings

__all__ = ["refuse_clear_cache", "refused_clear_caches"]

log = logging.getLogger("news_atlas")

_lock = threading.Lock()
_refused = 0
_last_logged = 0.0


def refused_clear_caches() -> int:
    """Return how many ``clear_cache`` messages this server has refused."""
    return _refused


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
        _note_refused()

    guarded.news_atlas_guard = True  # type: ignore[attr-defined]
    AppSession._handle_clear_cache_request = guarded  # type: ignore[method-assign]
    return True


def _note_refused() -> None:
    global _refused, _last_logged
    with _lock:
        _refused += 1
        now = time.monotonic()
        if now - _last_logged < 60.0:
            return
        _last_logged = now
        count = _refused
    log.warning("refused a browser's clear_cache message (public mode; %d refused so far)", count)
