"""Corpus mode's client: build the gazetteer once, start (or join) a Dask cluster, send the batches
not yet done, show progress, then write the per-place summary.

Batches go out a few per worker at a time (the input is read as the run goes, never all at once);
each worker writes its own Parquet files, so only small reports come back.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from geo.corpus.inputs import Batch, Columns, batches, read_articles
from geo.corpus.work import DONE_DIR, BatchReport, ParserSettings, parse_batch

__all__ = ["DEFAULT_BATCH", "RunReport", "done_batches", "run_corpus"]

log = logging.getLogger(__name__)

#: Articles per batch: enough for spaCy's nlp.pipe to batch well, few enough to spread over workers.
DEFAULT_BATCH = 32
#: Batches in flight per worker: keeps every worker busy without reading the whole input ahead.
IN_FLIGHT_PER_WORKER = 3
#: The plugin's name on the workers.
PLUGIN_NAME = "news-atlas-geoparser"


@dataclass(frozen=True)
class RunReport:
    """What a corpus run did: batches run and skipped (already done), articles parsed and failed,
    mentions written, words read, wall time (with the cluster's start) and parsing time (first batch
    sent to last batch back), workers, how many times each worker process loaded its Geoparser
    (process id → loads; 1 each when loaded once), each one's peak memory in MB, and the CPU seconds
    the workers spent on their batches (all workers together)."""

    batches: int
    skipped: int
    articles: int
    failed: int
    mentions: int
    words: int
    seconds: float
    workers: int
    parse_seconds: float = 0.0
    loads: dict[int, int] = field(default_factory=dict)
    peak_mb: dict[int, float] = field(default_factory=dict)
    cpu_seconds: float = 0.0

    @property
    def articles_per_second(self) -> float:
        """Return articles parsed per second of parsing time (the cluster's start left out)."""
        return self.articles / self.parse_seconds if self.parse_seconds else 0.0

    @property
    def words_per_second(self) -> float:
        """Return words parsed per second of parsing time (the cluster's start left out)."""
        return self.words / self.parse_seconds if self.parse_seconds else 0.0

    @property
    def words_per_cpu_second(self) -> float:
        """Return words parsed per second of the workers' CPU time: what a worker costs, whatever else
        shares the machine."""
        return self.words / self.cpu_seconds if self.cpu_seconds else 0.0


def done_batches(out: Path) -> set[str]:
    """Return the keys of the batches already written under ``out`` (their done markers)."""
    folder = Path(out) / DONE_DIR
    return {p.stem for p in folder.glob("*.json")} if folder.is_dir() else set()


def run_corpus(
    source: Path,
    out: Path,
    *,
    columns: Columns | None = None,
    scheduler: str | None = None,
    workers: int | None = None,
    batch_size: int = DEFAULT_BATCH,
    service: str | None = None,
    url: str | None = None,
    ask_online: str = "unplaced",
    progress: bool = False,
    say: Callable[[str], None] = log.info,
) -> RunReport:
    """Parse every article of ``source`` into the Parquet dataset at ``out``; return what was done.

    ``scheduler`` is an existing cluster's address (``tcp://HOST:PORT``); without it a local cluster
    of ``workers`` processes (default: one per core) with one thread each is started and stopped.
    ``service`` turns online geocoding on (off by default). Batches already done are skipped.
    """
    import dask
    from distributed import Client, LocalCluster

    from geo.corpus.summary import write_summary
    from geo.corpus.tuning import LOCAL_CLUSTER_CONFIG
    from geo.gazetteer import open_gazetteer
    from geo.gazetteer.store import default_path

    started = time.perf_counter()
    out = Path(out)
    articles = read_articles(
        source, columns or Columns()
    )  # raises InputError on an unreadable source, before a cluster starts
    open_gazetteer(progress=say)  # built once here, opened by every worker
    settings = ParserSettings(str(default_path().resolve()), service=service, url=url, ask_online=ask_online)
    if service and scheduler is None and (workers or 0) != 1:
        # One process keeps the service's one-request-a-second limit (each process has its own limiter).
        say("online geocoding: one worker, so the service's rate limit holds")
        workers = 1
    cluster = None
    if scheduler is None:
        with dask.config.set(LOCAL_CLUSTER_CONFIG):  # no profiler, glibc's own trimming (geo.corpus.tuning)
            cluster = LocalCluster(
                n_workers=workers or os.cpu_count() or 1,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
            )
    try:
        with Client(scheduler or cluster) as client:
            plugin = _plugin(settings)
            client.register_plugin(plugin, name=PLUGIN_NAME)
            n_workers = len(client.scheduler_info()["workers"])
            say(f"corpus: {n_workers} workers, batches of {batch_size}")
            sent = time.perf_counter()
            reports, skipped = _submit_all(client, batches(articles, batch_size), out, settings, n_workers, progress)
            parse_seconds = time.perf_counter() - sent
    finally:
        if cluster is not None:
            cluster.close()
    write_summary(out)
    loads: dict[int, int] = {}
    peak: dict[int, float] = {}
    for report in reports:
        loads[report.pid] = max(loads.get(report.pid, 0), report.loads)
        peak[report.pid] = max(peak.get(report.pid, 0.0), report.peak_mb)
    return RunReport(
        batches=len(reports),
        skipped=skipped,
        articles=sum(r.articles for r in reports),
        failed=sum(r.failed for r in reports),
        mentions=sum(r.mentions for r in reports),
        words=sum(r.words for r in reports),
        seconds=round(time.perf_counter() - started, 3),
        workers=n_workers,
        parse_seconds=round(parse_seconds, 3),
        loads=loads,
        peak_mb=peak,
        cpu_seconds=round(sum(r.cpu_seconds for r in reports), 3),
    )


def _plugin(settings: ParserSettings):  # -> distributed.WorkerPlugin
    from distributed import WorkerPlugin

    from geo.corpus import work

    class GeoparserPlugin(WorkerPlugin):
        """Loads the worker's Geoparser when the worker starts, once."""

        def setup(self, worker) -> None:
            work.geoparser_for(settings)

    return GeoparserPlugin()


def _submit_all(
    client, todo: Iterator[Batch], out: Path, settings: ParserSettings, n_workers: int, progress: bool
) -> tuple[list[BatchReport], int]:
    from distributed import as_completed
    from tqdm import tqdm

    done = done_batches(out)
    reports: list[BatchReport] = []
    skipped = 0
    window = max(1, n_workers * IN_FLIGHT_PER_WORKER)
    bar = tqdm(unit="article", desc="corpus", disable=not progress, smoothing=0.1)
    running = as_completed()

    def send_next() -> bool:
        nonlocal skipped
        for batch in todo:
            if batch.key in done:
                skipped += 1
                continue
            running.add(client.submit(parse_batch, batch, str(out), settings, key=f"parse-{batch.key}", pure=False))
            return True
        return False

    try:
        for _ in range(window):
            if not send_next():
                break
        for future in running:
            report: BatchReport = future.result()
            future.release()
            reports.append(report)
            bar.update(report.articles + report.failed)
            send_next()
    finally:
        bar.close()
    return reports, skipped
