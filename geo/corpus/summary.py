"""The per-place summary of a corpus: one row per place, written with DuckDB from the mentions dataset."""

from __future__ import annotations

import logging
import os
import uuid
from pathlib import Path

from geo.corpus.work import MENTIONS_DIR

__all__ = ["SUMMARY_FILE", "mentions_glob", "write_summary"]

log = logging.getLogger(__name__)

SUMMARY_FILE = "places.parquet"


def mentions_glob(out: Path) -> str:
    """Return the glob that matches every Parquet file of the mentions dataset under ``out``."""
    return str(Path(out) / MENTIONS_DIR / "*" / "*.parquet")


def write_summary(out: Path) -> int:
    """Write ``places.parquet`` under ``out`` (place id, name, kind, country, lat, lon, source, mentions,
    articles, first and last day) from the mentions written so far; return how many places it lists."""
    import duckdb

    out = Path(out)
    if not any((out / MENTIONS_DIR).glob("*/*.parquet")):
        log.info("no mentions under %s: no summary written", out)
        return 0
    target = out / SUMMARY_FILE
    partial = out / f".{SUMMARY_FILE}.{uuid.uuid4().hex}.partial"
    with duckdb.connect() as con:
        con.execute(
            f"""
            COPY (
                SELECT place_id, any_value(name) AS name, any_value(kind) AS kind, any_value(country) AS country,
                       any_value(lat) AS lat, any_value(lon) AS lon, any_value(source) AS source,
                       count(*) AS mentions, count(DISTINCT article_id) AS articles,
                       min(date) AS first_day, max(date) AS last_day
                FROM read_parquet(?, hive_partitioning = false, union_by_name = true)
                WHERE place_id IS NOT NULL
                GROUP BY place_id
                ORDER BY mentions DESC, place_id
            ) TO '{_sql_path(partial)}' (FORMAT parquet, COMPRESSION zstd)
            """,
            [mentions_glob(out)],
        )
        count = con.execute("SELECT count(*) FROM read_parquet(?)", [str(partial)]).fetchone()
    os.replace(partial, target)
    return int(count[0]) if count else 0


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")
