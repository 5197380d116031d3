"""Parsing under a time limit, a fixed number of parses at once for the whole server, one per session.

Every parse of the server goes through one queue (``ParseQueue``): ``PARSE_SLOTS`` parses run at
once (one on a 2-core machine: a parse uses a core, and the server must still answer the others),
the rest wait in their order of arrival, the waiting visitor shown their place in line. A session
holds at most one place in the queue, waiting or running (its fair share): its next article waits
for its earlier one, and a visitor with many articles does not hold up the others for long, since
their articles take turns with everybody else's, one at a time.

A parse runs in a worker thread while the script waits for it, ``PARSE_SECONDS`` at most for all
the articles of a run, the wait in line included. A parse whose turn has not come by the limit
leaves the line without running.

In public mode (``Settings.parse_process``) the model runs in a worker process per slot
(``model_worker``, geo.parse.worker), stopped at the time limit or past its memory ceiling: the
limit then really stops the work, and the slot is free again. Locally the model runs in the
server's process, where it cannot be stopped part-way (spaCy's model runs in compiled code): a
parse that runs over is reported and left to finish in the background, keeping its slot until it
ends, its result kept for a later run; until it ends, a new parse of the same session waits for it
(within what is left of its own limit) rather than starting beside it. Input caps bound how long
it can go on: 2 MB, or 200 KB in public mode.

Everything here is module-level, not in ``st.cache_resource``: a browser can empty Streamlit's
caches, and must not lift these bounds.
"""

from __future__ import annotations

import contextlib
import itertools
import queue
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import TypeVar

from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

from geo.core.config import settings
from geo.core.errors import GeoError
from geo.parse.worker import RecognizerProcess

__all__ = [
    "PARSE_SECONDS",
    "PARSE_SLOTS",
    "Busy",
    "OverTime",
    "ParseQueue",
    "model_worker",
    "parse_queue",
    "run_limited",
    "start_model_workers",
]

#: Seconds the articles of one run may take to parse, together (the wait in line included).
PARSE_SECONDS = 60.0
#: Parses running at once on the whole server.
PARSE_SLOTS = 1
#: Seconds between two updates of a waiting visitor's place in line.
POSITION_EVERY = 0.5

T = TypeVar("T")


class OverTime(GeoError):
    """A parse ran over the time limit (it finishes in the background), or its turn did not come."""


class Busy(GeoError):
    """The session's earlier parse is still running."""


class ParseQueue:
    """A fixed number of parses at once, the others waiting in their order of arrival; at most one
    place per session, from joining until its parse ends (see the module)."""

    def __init__(self, slots: int = PARSE_SLOTS) -> None:
        self.slots = slots
        self._cond = threading.Condition()
        self._line: list[int] = []  # tickets waiting, first come first
        self._running: set[int] = set()
        self._held: dict[str, tuple[int, threading.Event]] = {}  # session -> its ticket, set when it ends
        self._numbers = itertools.count(1)

    def join(self, session: str, give_up: float) -> int:
        """Return ``session``'s ticket, in line. When the session still holds one (an earlier
        parse waiting or running), wait for it to end until ``give_up``, else raise Busy."""
        while True:
            with self._cond:
                held = self._held.get(session)
                if held is None:
                    ticket = next(self._numbers)
                    self._held[session] = (ticket, threading.Event())
                    self._line.append(ticket)
                    return ticket
            if not held[1].wait(timeout=max(give_up - time.monotonic(), 0.0)):
                raise Busy("an article is still being mapped from before; try again in a moment")

    def position(self, ticket: int) -> int:
        """Return how many parses run or wait before ``ticket`` (0: it runs)."""
        with self._cond:
            if ticket in self._running or ticket not in self._line:
                return 0
            return len(self._running) + self._line.index(ticket)

    def wait_turn(self, ticket: int, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for ``ticket``'s turn; return True once it runs (it then
        holds a slot until ``done``)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                if ticket in self._running:
                    return True
                if len(self._running) < self.slots and self._line and self._line[0] == ticket:
                    self._line.pop(0)
                    self._running.add(ticket)
                    self._cond.notify_all()
                    return True
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)

    def done(self, session: str, ticket: int) -> None:
        """Give back ``ticket``: its parse ended, or it left the line without running."""
        with self._cond:
            self._running.discard(ticket)
            if ticket in self._line:
                self._line.remove(ticket)
            held = self._held.get(session)
            if held is not None and held[0] == ticket:
                del self._held[session]
                held[1].set()
            self._cond.notify_all()

    def running(self) -> int:
        """Return the number of parses running now."""
        with self._cond:
            return len(self._running)

    def waiting(self) -> int:
        """Return the number of parses waiting in line."""
        with self._cond:
            return len(self._line)

    def idle(self) -> bool:
        """Return True when no parse runs or waits."""
        with self._cond:
            return not self._running and not self._line and not self._held


_QUEUE = ParseQueue()


def parse_queue() -> ParseQueue:
    """Return the server's one parse queue."""
    return _QUEUE


#: The model's worker processes, one per slot (public mode): free ones wait here. Module-level,
#: like the queue: no browser message reaches them.
_FREE: queue.Queue[RecognizerProcess] = queue.Queue()
_WORKERS: list[RecognizerProcess] = []
_WORKERS_LOCK = threading.Lock()


def start_model_workers(gazetteer: Path) -> list[RecognizerProcess]:
    """Start the model's worker processes (one per slot, reading the gazetteer file ``gazetteer``)
    unless they run: the model loads while the first visitor chooses an article. Returns them;
    none when the model runs in this process."""
    if not settings().parse_process:
        return []
    with _WORKERS_LOCK:
        if not _WORKERS:
            for _ in range(PARSE_SLOTS):
                worker = RecognizerProcess(gazetteer=gazetteer, memory_mb=settings().parse_memory_mb)
                _WORKERS.append(worker)
                _FREE.put(worker)
    for worker in _WORKERS:
        worker.start()
    return list(_WORKERS)


@contextlib.contextmanager
def model_worker(gazetteer: Path) -> Iterator[RecognizerProcess | None]:
    """Lend a free worker process for one parse (a parse holds a slot, and there is one per slot),
    or None when the model runs in this process."""
    if not start_model_workers(gazetteer):
        yield None
        return
    worker = _FREE.get()
    try:
        yield worker
    finally:
        _FREE.put(worker)


def run_limited(
    session: str,
    work: Callable[[], T],
    give_up: float,
    *,
    on_wait: Callable[[int], None] | None = None,
    wanted: Callable[[], bool] | None = None,
) -> T:
    """Return ``work()``, run in a worker thread for ``session`` when its turn in the server's
    queue comes, waited for until ``give_up`` (a ``time.monotonic()`` time). While it waits in
    line, ``on_wait`` is told how many parses are ahead, every ``POSITION_EVERY`` seconds. Raises
    OverTime when it is not done by then (or its turn did not come, or ``wanted()`` said its
    visitor left while it waited), Busy when the session's earlier parse is still running at that
    time, and whatever ``work`` raises."""
    queue = parse_queue()
    ticket = queue.join(session, give_up)
    try:
        while not queue.wait_turn(ticket, min(POSITION_EVERY, max(give_up - time.monotonic(), 0.0))):
            if wanted is not None and not wanted():  # its visitor left: the turn goes to the next
                raise OverTime("the visitor who asked for this article has left")
            if time.monotonic() >= give_up:
                raise OverTime(
                    f"the server was busy mapping other articles for {PARSE_SECONDS:g} s; try again in a moment"
                )
            if on_wait is not None:
                on_wait(queue.position(ticket))
    except BaseException:
        queue.done(session, ticket)
        raise
    future: Future = Future()

    def job() -> None:
        try:
            future.set_result(work())
        except BaseException as err:  # handed to the waiting script through the future
            future.set_exception(err)
        finally:
            queue.done(session, ticket)

    worker = threading.Thread(target=job, name=f"news-atlas-parse-{session[:8]}", daemon=True)
    add_script_run_ctx(worker, get_script_run_ctx())
    worker.start()
    try:
        return future.result(timeout=max(give_up - time.monotonic(), 0.0))
    except FutureTimeout as err:
        # In a worker process the model is stopped at the same time (geo.parse.worker); here it
        # goes on in the background, and its result is kept for a later run.
        outcome = "stopped" if settings().parse_process else "left out"
        raise OverTime(f"mapping took longer than {PARSE_SECONDS:g} s, so it was {outcome}") from err
