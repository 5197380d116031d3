"""Parsing under a time limit, one parse at a time per browser session.

A parse runs in a worker thread while the script waits for it, ``PARSE_SECONDS`` at most for all
the articles of a run. A parse cannot be stopped part-way (spaCy's model runs in compiled code),
so one that runs over is reported and left to finish in the background: its result lands in
Streamlit's cache for a later run, and until it ends, a new parse of the same session waits for it
(within what is left of its own limit) rather than starting beside it. Input caps bound how long
it can go on: 2 MB, or 200 KB in public mode.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, wait
from concurrent.futures import TimeoutError as FutureTimeout
from typing import TypeVar

from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

from geo.core.errors import GeoError

__all__ = ["PARSE_SECONDS", "Busy", "OverTime", "run_limited"]

#: Seconds the articles of one run may take to parse, together.
PARSE_SECONDS = 60.0

T = TypeVar("T")


class OverTime(GeoError):
    """A parse ran over the time limit; it finishes in the background."""


class Busy(GeoError):
    """The session's earlier parse is still running."""


#: By session id, the parse each session is running (process-wide), and its lock. Module-level,
#: not in st.cache_resource: a browser can empty Streamlit's caches, and must not lift the bound.
_LOCK = threading.Lock()
_RUNNING: dict[str, Future] = {}


def _running() -> tuple[threading.Lock, dict[str, Future]]:
    """Return the lock and, by session id, the parse each session is running (process-wide)."""
    return _LOCK, _RUNNING


def run_limited(session: str, work: Callable[[], T], give_up: float) -> T:
    """Return ``work()``, run in a worker thread for ``session``, waited for until ``give_up``
    (a ``time.monotonic()`` time). Raises OverTime when it is not done by then, Busy when the
    session's earlier parse is still running at that time, and whatever ``work`` raises."""
    lock, running = _running()
    while True:
        with lock:
            earlier = running.get(session)
            if earlier is None or earlier.done():
                future: Future = Future()
                running[session] = future
                break
        _done, not_done = wait([earlier], timeout=max(give_up - time.monotonic(), 0.0))
        if not_done:
            raise Busy("an article is still being mapped from before; try again in a moment")

    def job() -> None:
        try:
            future.set_result(work())
        except BaseException as err:  # handed to the waiting script through the future
            future.set_exception(err)
        finally:
            with lock:
                if running.get(session) is future:
                    del running[session]

    worker = threading.Thread(target=job, name=f"news-atlas-parse-{session[:8]}", daemon=True)
    add_script_run_ctx(worker, get_script_run_ctx())
    worker.start()
    try:
        return future.result(timeout=max(give_up - time.monotonic(), 0.0))
    except FutureTimeout as err:
        raise OverTime(f"mapping took longer than {PARSE_SECONDS:g} s, so it was left out") from err
