"""The model in a worker process that can be stopped: a parse under a time limit and a memory ceiling.

spaCy's model runs in compiled code, so a thread running it cannot be stopped part-way: a parse
over its time limit would go on in the background, holding a core and its memory. A public server
runs the model here instead, in a child process of its own (``RecognizerProcess``): the server
sends the text, waits for the mentions and entities (``geo.recognize.extract.extract_all``), and
kills the child when the time limit passes or its memory (resident set, read from ``/proc``) goes
over the ceiling. A new child is started at once, so the next parse pays no more than the wait
for the model to load (a few seconds).

The model's part is most of a parse (a dense 200 KB article: 3.4 s of 5.1 s) and most of its
memory. Resolution and placement (``Geoparser.locate``) stay in the server: they share its online
geocoder, with the rate limit and the visitors' budgets, and its corrections; their work is bounded
by what the input caps let through.

The child is started with ``spawn`` (never ``fork``: the server runs many threads) and loads its own
gazetteer from the same file. It leaves when the server does: its end of the pipe closes.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import cast

from geo.core.errors import GeoError, InputError, ParseStopped
from geo.core.values import Entity, Mention

__all__ = ["Recognized", "RecognizerProcess"]

log = logging.getLogger(__name__)

#: Seconds between two looks at the child while it works: its answer, its memory, the time.
POLL_SECONDS = 0.05
#: Seconds between two questions whether the answer is still wanted.
WANTED_EVERY = 0.5
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


@dataclass(frozen=True)
class Recognized:
    """What the model found in one text: its place mentions and its actors (in text order)."""

    mentions: tuple[Mention, ...]
    entities: tuple[Entity, ...]


class RecognizerProcess:
    """One child process running the model, one text at a time (see the module).

    ``gazetteer`` is the gazetteer file the child opens; ``memory_mb`` its ceiling (resident
    memory, the model included). ``start()`` starts the child ahead of the first text, so that the
    model is loaded by then; ``recognize`` starts it when needed.
    """

    def __init__(self, *, gazetteer: Path, memory_mb: int = 1500) -> None:
        self.gazetteer = gazetteer
        self.memory_mb = memory_mb
        self._lock = threading.Lock()  # one text at a time
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None
        self._ready = False
        #: Children stopped (over time or memory) or lost: for the operator's log and tests.
        self.stopped = 0

    @property
    def pid(self) -> int | None:
        """The child's process id, or None when there is none."""
        return None if self._process is None else self._process.pid

    def start(self) -> None:
        """Start the child (it loads the model) unless it runs already; return at once."""
        with self._lock:
            self._start()

    def recognize(
        self,
        text: str,
        *,
        demonyms: bool = False,
        timeout: float = 60.0,
        wanted: Callable[[], bool] | None = None,
    ) -> Recognized:
        """Return what the model finds in ``text``, within ``timeout`` seconds (the model's loading
        included when the child is new). ``wanted``, asked every ``WANTED_EVERY`` seconds, says
        whether the answer is still wanted (the visitor who asked is still there): when it is not,
        the child is stopped. Raises ParseStopped when the child was stopped (over time, over
        memory, not wanted) or died, InputError when the model refuses the text."""
        deadline = time.monotonic() + timeout
        with self._lock:
            self._start()
            assert self._conn is not None
            try:
                self._conn.send((text, demonyms))
                answer = self._wait(deadline, wanted)
            except (OSError, EOFError) as err:  # the child is gone
                self._stop()
                raise ParseStopped("the worker that reads articles stopped; try again in a moment") from err
        kind, value = answer
        if kind == "input":
            raise InputError(str(value))
        if kind == "error":
            raise GeoError(str(value))
        mentions, entities = cast(tuple[list[Mention], list[Entity]], value)
        return Recognized(tuple(mentions), tuple(entities))

    def close(self) -> None:
        """Stop the child (it is not restarted until the next ``start`` or ``recognize``)."""
        with self._lock:
            if self._process is not None:
                self._process.kill()
                self._process.join(timeout=5)
            self._process, self._conn, self._ready = None, None, False

    # -- the server's side ------------------------------------------------------------------------

    def _start(self) -> None:
        if self._process is not None and self._process.is_alive():
            return
        context = multiprocessing.get_context("spawn")
        ours, theirs = context.Pipe()
        process = context.Process(
            target=_serve, args=(theirs, str(self.gazetteer)), name="news-atlas-model", daemon=True
        )
        process.start()
        theirs.close()  # the child's end: held only by the child, so its death closes the pipe
        self._process, self._conn, self._ready = process, ours, False
        log.info("started the model's worker process %s", process.pid)

    def _wait(self, deadline: float, wanted: Callable[[], bool] | None) -> tuple[str, object]:
        """Return the child's answer to the text sent; stop it past ``deadline`` or the ceiling,
        or when it is no longer ``wanted``."""
        assert self._conn is not None and self._process is not None
        asked = time.monotonic()
        while True:
            if self._conn.poll(POLL_SECONDS):
                answer = self._conn.recv()
                if answer == ("ready", None):
                    self._ready = True
                    continue
                return answer
            if not self._process.is_alive():
                raise EOFError("the worker process died")
            if time.monotonic() >= deadline:
                self._restart(f"ran over its time limit ({'reading' if self._ready else 'loading the model'})")
                raise ParseStopped("mapping took longer than the time limit, so it was stopped")
            if wanted is not None and time.monotonic() - asked >= WANTED_EVERY:
                asked = time.monotonic()
                if not wanted():
                    self._restart("was no longer wanted (the visitor left)")
                    raise ParseStopped("the visitor who asked for this article has left")
            used = _resident_mb(self._process.pid)
            if used is not None and used > self.memory_mb:
                self._restart(f"used {used:,.0f} MB, over its ceiling of {self.memory_mb:,} MB")
                raise ParseStopped(
                    f"mapping this article needed more than the {self.memory_mb:,} MB of memory a parse may use, "
                    "so it was stopped"
                )

    def _restart(self, why: str) -> None:
        log.warning("stopped the model's worker process %s: it %s", self.pid, why)
        self._stop()
        self._start()  # the next parse finds the model loaded, or loading

    def _stop(self) -> None:
        self.stopped += 1
        if self._process is not None:
            self._process.kill()
            self._process.join(timeout=5)
        if self._conn is not None:
            self._conn.close()
        self._process, self._conn, self._ready = None, None, False


def _resident_mb(pid: int | None) -> float | None:
    """Return the resident memory of process ``pid`` in MB, or None where /proc cannot tell."""
    try:
        fields = Path(f"/proc/{pid}/statm").read_text().split()
    except (OSError, TypeError):
        return None
    return int(fields[1]) * _PAGE / 1e6


# -- the child's side ------------------------------------------------------------------------------


def _serve(conn: Connection, gazetteer: str) -> None:
    """The child: load the model, say so, then answer each text sent until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which stops the child
    from geo.gazetteer import open_gazetteer
    from geo.recognize import extract

    nlp = extract.load_pipeline(open_gazetteer(Path(gazetteer)))
    conn.send(("ready", None))
    while True:
        try:
            text, demonyms = conn.recv()
        except (EOFError, OSError):  # the server has gone
            return
        try:
            ((mentions, entities),) = list(extract.extract_all(nlp, [text], demonyms=demonyms))
            conn.send(("ok", (mentions, entities)))
        except InputError as err:
            conn.send(("input", str(err)))
        except Exception as err:  # the server logs it; the child goes on with the next text
            log.exception("the model failed on a text")
            conn.send(("error", f"the model could not read this article ({type(err).__name__})"))
