"""One-line notices of degraded service: the cache folder could not be written, a file was rebuilt.

Each notice is logged once as a warning (the command line prints it on stderr) and kept, for the
process, so that the app can show it. A notice is a sentence for the user: it names no server path.
"""

from __future__ import annotations

import logging
import threading

__all__ = ["clear", "current", "notify"]

log = logging.getLogger("geo")

_lock = threading.Lock()
_notices: dict[str, None] = {}  # insertion-ordered set


def notify(message: str) -> None:
    """Record ``message`` (logged as a warning the first time it is seen)."""
    with _lock:
        if message in _notices:
            return
        _notices[message] = None
    log.warning("%s", message)


def current() -> tuple[str, ...]:
    """Return every notice recorded in this process, oldest first."""
    with _lock:
        return tuple(_notices)


def clear() -> None:
    """Forget every notice (tests)."""
    with _lock:
        _notices.clear()
