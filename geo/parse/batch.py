"""Parse a stream of articles in input order, in this process or in several, as each is done.

The command line hands ``parse_in_order`` articles as it reads them and writes each result as soon
as it comes back, so the first line appears after the first batch, and memory stays flat however
many articles there are: only a few batches are ever in flight.

With ``jobs > 1`` the ``Geoparser`` is built here, once (the gazetteer too, if needed), and the
worker processes are forked from this one: they start with the model already loaded, sharing its
memory until they write to it, and parse batches of articles; the results come back in input
order. Each worker opens its own SQLite connections (geo.store.db). Once they are forked, this process
lets go of its parser and hands the freed memory back to the system: it only hands out articles
and writes results, and every page of the model that both workers came to write (reference
counts, the heap's free holes they allocate in) would otherwise stay here as a third copy.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging
import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from multiprocessing.pool import AsyncResult
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from geo.parse.pipeline import Geoparser, ParseResult

__all__ = ["ParserSettings", "default_jobs", "parse_in_order"]

log = logging.getLogger(__name__)

#: Articles per task sent to a worker: enough to keep spaCy's ``nlp.pipe`` batching efficient.
BATCH_SIZE = 16
#: Tasks in flight per worker: enough to keep every worker busy, few enough to keep memory flat.
TASKS_PER_WORKER = 2


@dataclass(frozen=True)
class ParserSettings:
    """What a worker needs to build the same Geoparser as the caller (picklable)."""

    service: str | None = None
    url: str | None = None
    ask_online: str = "unplaced"
    demonyms: bool = False  # map "Russian forces" to Russia (geo.recognize.demonyms)

    def online(self) -> bool:
        """Return True when these settings ask an online geocoder (argument or environment)."""
        from geo.core.config import settings

        return (self.service or settings().geocoder) != "offline"

    def build(self) -> Geoparser:
        """Return a Geoparser with the default gazetteer, caches and corrections, and these settings."""
        from geo.parse.pipeline import Geoparser

        return Geoparser.default(service=self.service, url=self.url, ask_online=self.ask_online, demonyms=self.demonyms)


def default_jobs() -> int:
    """Return how many processes to parse with by default: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on every platform
        return max(1, os.cpu_count() or 1)


def parse_in_order(
    articles: Iterable[tuple[str, str]],
    *,
    settings: ParserSettings,
    jobs: int = 1,
    geoparser: Geoparser | None = None,
    progress: Callable[[str], None] | None = None,
) -> Iterator[tuple[str, ParseResult]]:
    """Yield ``(name, result)`` for each ``(name, text)`` in ``articles``, in input order, each as
    soon as it (and every article before it) is parsed.

    ``jobs == 1`` parses here, with ``geoparser`` (or one built from ``settings``); more parse in
    that many worker processes. ``progress`` hears of a gazetteer build.
    """
    if jobs <= 1:
        parser = geoparser or settings.build()
        pending: deque[str] = deque()

        def texts() -> Iterator[str]:
            for name, text in articles:
                pending.append(name)
                yield text

        for result in parser.parse_many(texts()):
            yield pending.popleft(), result
        return
    yield from _parse_in_workers(iter(articles), settings, jobs, progress)


def _parse_in_workers(
    articles: Iterator[tuple[str, str]], settings: ParserSettings, jobs: int, progress: Callable[[str], None] | None
) -> Iterator[tuple[str, ParseResult]]:
    global _worker_parser
    from geo.gazetteer import open_gazetteer

    open_gazetteer(progress=progress)  # built here, once, before any worker opens it
    # Loaded once, here: fork hands it to every worker, which starts parsing at once.
    _worker_parser = settings.build()
    # Objects made so far are left out of garbage collection from now on: the collector would
    # otherwise write to every one of them in each worker, copying the pages they share.
    gc.freeze()
    context = multiprocessing.get_context("fork")
    with context.Pool(jobs, initializer=_start_worker, initargs=(settings,)) as pool:
        _forget_parser()
        in_flight: deque[AsyncResult[list[tuple[str, ParseResult]]]] = deque()
        first = True
        while True:
            # The first task is a single article, so that the first result comes back quickly.
            batch = list(islice(articles, 1 if first else BATCH_SIZE))
            first = False
            if batch:
                in_flight.append(pool.apply_async(_parse_batch, (batch,)))
            if in_flight and (not batch or len(in_flight) >= jobs * TASKS_PER_WORKER):
                yield from in_flight.popleft().get()
            if not batch and not in_flight:
                return


#: The Geoparser the workers inherit (set in the parent just before they are forked, dropped
#: there once they are).
_worker_parser: Geoparser | None = None


def _forget_parser() -> None:
    """Drop the parent's Geoparser (the workers have their own copy) and give its memory back."""
    global _worker_parser
    _worker_parser = None
    gc.unfreeze()  # the model's reference cycles can be collected again
    gc.collect()
    _trim_heap()


def _trim_heap() -> None:
    """Return the free memory of this process's heap to the system (glibc only; else nothing)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):  # not glibc
        return
    trim.argtypes = (ctypes.c_size_t,)
    trim(0)


def _start_worker(settings: ParserSettings) -> None:
    """Make sure this worker has a parser: inherited from the parent, or (for a worker the pool
    starts later to replace one, after the parent let go of its parser) built here."""
    global _worker_parser
    if _worker_parser is None:
        _worker_parser = settings.build()


def _parse_batch(batch: list[tuple[str, str]]) -> list[tuple[str, ParseResult]]:
    assert _worker_parser is not None, "the worker was not started by _start_worker"
    results = _worker_parser.parse_many(text for _name, text in batch)
    return [(name, result) for (name, _text), result in zip(batch, results, strict=True)]
