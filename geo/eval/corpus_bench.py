"""``python -m geo.eval.corpus_bench LGL_FILE``: corpus mode's throughput and the corpus dashboard's queries.

1. A JSON Lines corpus of ``--articles`` LGL documents (ids, titles, dates over 60 days).
2. Corpus mode over it with 1 and with 2 local workers: articles and words per second of parsing
   time (the cluster's start reported apart), words per second of the workers' CPU time, the
   speed-up, and each worker's peak memory.
3. The same articles through one in-process Geoparser (``parse_many``, in a fresh process), for
   comparison. With ``--rounds N`` the three runs take turns N times (1, 2, in-process, 1, 2, ...),
   so each sees the same share of whatever else loads the machine; the load average is recorded
   beside each run.
4. The dashboard's DuckDB queries over the output replicated to ``--dashboard-articles`` articles
   (each mention copied with a new article id and day): opening, the map's places, the map built
   and rendered to HTML, a click (nearest place and its first page of excerpts).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import multiprocessing
import os
import resource
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from geo.eval import corpora

log = logging.getLogger(__name__)

FIRST_DAY = dt.date(2016, 1, 1)
T = TypeVar("T")


def make_corpus(lgl: Path, folder: Path, articles: int) -> tuple[Path, int]:
    """Write ``articles`` LGL documents as a JSON Lines corpus under ``folder``; return its path and words."""
    docs = corpora.load("lgl", lgl)
    path, words = folder / "lgl.jsonl", 0
    with path.open("w", encoding="utf-8") as out:
        for i in range(articles):
            doc = docs[i % len(docs)]
            words += len(doc.text.split())
            row = {
                "id": f"lgl-{doc.id}-{i}",
                "title": doc.text.strip().splitlines()[0][:80],
                "date": (FIRST_DAY + dt.timedelta(days=i % 60)).isoformat(),
                "url": f"https://example.org/lgl/{doc.id}",
                "text": doc.text,
            }
            out.write(json.dumps(row) + "\n")
    return path, words


def run_workers(corpus: Path, folder: Path, workers: int, batch_size: int) -> dict:
    """Run corpus mode with ``workers`` local workers; return its figures."""
    from geo.corpus.run import run_corpus

    load = os.getloadavg()[0]
    out = folder / f"out-{workers}"
    report = run_corpus(corpus, out, workers=workers, batch_size=batch_size)
    written = sum(p.stat().st_size for p in (out / "mentions").rglob("*.parquet"))
    compact = _one_file_bytes(out / "mentions", folder / f"compact-{workers}.parquet")
    return {
        "workers": workers,
        "load_before_after": [round(load, 2), round(os.getloadavg()[0], 2)],
        "articles": report.articles,
        "words": report.words,
        "parse_s": report.parse_seconds,
        "wall_s_with_cluster_start": report.seconds,
        "articles_per_s": round(report.articles_per_second, 1),
        "words_per_s": round(report.words_per_second),
        "worker_cpu_s": report.cpu_seconds,
        "words_per_cpu_s": round(report.words_per_cpu_second),
        "mentions": report.mentions,
        "parquet_bytes_per_mention_as_written": round(written / max(1, report.mentions)),
        "parquet_bytes_per_mention_in_one_file": round(compact / max(1, report.mentions)),
        "loads_per_worker": sorted(report.loads.values()),
        "peak_mb_per_worker": sorted(report.peak_mb.values()),
    }


def _one_file_bytes(mentions: Path, target: Path) -> int:
    """Return the size of ``mentions`` rewritten as one zstd Parquet file (what large batches approach)."""
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq

    pq.write_table(ds.dataset(mentions, format="parquet", partitioning="hive").to_table(), target, compression="zstd")
    return target.stat().st_size


def run_single(corpus: Path) -> dict:
    """Parse the corpus's texts with one in-process Geoparser in a fresh process; return its figures."""
    load = os.getloadavg()[0]
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        figures = pool.apply(_single, (corpus,))
    return {"load_before_after": [round(load, 2), round(os.getloadavg()[0], 2)], **figures}


def _single(corpus: Path) -> dict:
    from geo.parse.pipeline import Geoparser

    texts = [json.loads(line)["text"] for line in corpus.read_text(encoding="utf-8").splitlines()]
    parser = Geoparser.default()
    started, cpu = time.perf_counter(), time.process_time()
    for _ in parser.parse_many(texts):
        pass
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    words = sum(len(t.split()) for t in texts)
    return {
        "articles": len(texts),
        "cpu_s": round(cpu, 2),
        "words_per_cpu_s": round(words / cpu),
        "parse_s": round(seconds, 2),
        "articles_per_s": round(len(texts) / seconds, 1),
        "words_per_s": round(words / seconds),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def replicate(out: Path, target: Path, articles: int) -> None:
    """Write a mentions dataset of ``articles`` articles under ``target`` by copying ``out``'s mentions
    with new article ids and days (partitioned by day, as corpus mode writes it)."""
    import duckdb

    from geo.corpus.summary import mentions_glob

    (target / "mentions").mkdir(parents=True, exist_ok=True)
    with duckdb.connect() as con:
        have = con.execute("SELECT count(DISTINCT article_id) FROM read_parquet(?)", [mentions_glob(out)]).fetchone()
        copies = max(1, -(-articles // int(have[0] if have else 1)))
        glob = mentions_glob(out).replace("'", "''")
        dest = str(target / "mentions").replace("'", "''")
        con.execute(
            f"""COPY (
                SELECT * EXCLUDE (article_id, doc, date),
                       article_id || '~' || k AS article_id, doc || '~' || k AS doc,
                       CAST(date + INTERVAL (k % 365) DAY AS DATE) AS date,
                       strftime(CAST(date + INTERVAL (k % 365) DAY AS DATE), '%Y-%m-%d') AS day
                FROM read_parquet('{glob}'), range({copies}) AS r(k)
            ) TO '{dest}' (FORMAT parquet, PARTITION_BY (day), COMPRESSION zstd)"""
        )


def time_dashboard(out: Path, repeats: int = 5) -> dict:
    """Time the dashboard's queries over the corpus at ``out`` (median of ``repeats`` where repeated)."""
    from geo.corpus.mapping import corpus_map
    from geo.corpus.query import CorpusPlace, open_corpus

    def timed(call: Callable[[], T]) -> tuple[float, T]:
        started = time.perf_counter()
        value = call()
        return (time.perf_counter() - started) * 1000, value

    open_ms, query = timed(lambda: open_corpus(out))
    totals_ms, totals = timed(query.totals)
    results: dict[str, object] = {"articles": totals[0], "mentions": totals[1], "places": totals[2]}
    first_view: list[float] = []
    places_ms: list[float] = []
    map_ms: list[float] = []
    click_ms: list[float] = []
    for _ in range(repeats):
        ms_places, places = timed(query.places)
        ms_days, _ = timed(query.per_day)
        ms_range, _ = timed(query.date_range)
        shown = places

        def draw(shown: list = shown) -> str:
            return str(corpus_map(shown).get_root().render())

        ms_map, _ = timed(draw)
        top = places[0]

        def click(top: CorpusPlace = top) -> object:
            near = query.nearest(top.lat + 0.01, top.lon + 0.01)
            return query.excerpts(near.place_id if near else top.place_id, page=0, per_page=10)

        ms_click, _ = timed(click)
        places_ms.append(ms_places)
        map_ms.append(ms_map)
        click_ms.append(ms_click)
        first_view.append(ms_places + ms_days + ms_range + totals_ms + ms_map)
    results.update(
        open_ms=round(open_ms, 1),
        places_query_ms=round(statistics.median(places_ms), 1),
        map_built_and_rendered_ms=round(statistics.median(map_ms), 1),
        first_view_server_ms=round(statistics.median(first_view), 1),
        click_answer_ms=round(statistics.median(click_ms), 1),
        map_html_mb=round(len(corpus_map(query.places()).get_root().render()) / 1e6, 2),
    )
    return results


def main(argv: list[str] | None = None) -> None:
    """Print the figures as JSON."""
    parser = argparse.ArgumentParser(prog="python -m geo.eval.corpus_bench", description=__doc__)
    parser.add_argument("lgl", type=Path, help="the LGL gold file (../shared/eval/lgl.xml)")
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--dashboard-articles", type=int, default=20_000)
    parser.add_argument("--skip-single", action="store_true", help="leave out the in-process comparison")
    parser.add_argument("--rounds", type=int, default=1, help="runs of each kind, taking turns")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        corpus, words = make_corpus(args.lgl, folder, args.articles)
        figures: dict[str, object] = {"corpus": {"articles": args.articles, "words": words}}
        ones: list[dict] = []
        twos: list[dict] = []
        singles: list[dict] = []
        for _ in range(args.rounds):
            for out in (folder / "out-1", folder / "out-2"):
                shutil.rmtree(out, ignore_errors=True)  # each round parses everything again
            ones.append(run_workers(corpus, folder, 1, args.batch_size))
            twos.append(run_workers(corpus, folder, 2, args.batch_size))
            if not args.skip_single:
                singles.append(run_single(corpus))
        figures["dask_1_worker"] = ones
        figures["dask_2_workers"] = twos
        pairs = list(zip(ones, twos, strict=True))
        figures["speed_up_2_vs_1"] = [round(b["words_per_s"] / a["words_per_s"], 2) for a, b in pairs]
        figures["cpu_cost_2_vs_1"] = [round(a["words_per_cpu_s"] / b["words_per_cpu_s"], 2) for a, b in pairs]
        if singles:
            figures["single_process"] = singles
            figures["worker_vs_single_words_per_cpu_s"] = [
                round(a["words_per_cpu_s"] / c["words_per_cpu_s"], 2) for a, c in zip(ones, singles, strict=True)
            ]
        figures["dashboard_lgl"] = time_dashboard(folder / "out-2")
        big = folder / "big"
        replicate(folder / "out-2", big, args.dashboard_articles)
        figures["dashboard_replicated"] = time_dashboard(big)
    print(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
