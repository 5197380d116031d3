"""Read-only queries over a corpus's Parquet output, run by DuckDB over the files (nothing held in memory):
the date range, mentions per day, the places (for the map and the top list), a place's excerpts, paged."""

from __future__ import annotations

import datetime as dt
import logging
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geo.core.errors import InputError
from geo.corpus.summary import mentions_glob
from geo.corpus.work import FAILURES_DIR, MENTIONS_DIR

__all__ = ["CorpusPlace", "CorpusQuery", "Excerpt", "open_corpus"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CorpusPlace:
    """A place of the corpus in the chosen days: where it is and how often it is named."""

    place_id: str
    name: str
    kind: str
    country: str | None
    lat: float
    lon: float
    mentions: int
    articles: int


@dataclass(frozen=True)
class Excerpt:
    """One mention of a place: the sentence, and the article it comes from."""

    article_id: str
    title: str | None
    url: str | None
    date: dt.date | None
    text: str
    excerpt: str


class CorpusQuery:
    """Queries over the mentions dataset at ``out`` (as ``news-atlas corpus --out`` writes it).

    Days are inclusive; ``None`` for both means every article, the undated ones included.
    """

    def __init__(self, out: Path) -> None:
        import duckdb  # the dashboard's corpus view only

        self.out = Path(out)
        self._con = duckdb.connect()
        glob = mentions_glob(self.out).replace("'", "''")  # a view takes no parameters: a quoted literal
        # By name: a corpus written before the events columns, resumed since, holds files of both schemas.
        self._con.execute(
            "CREATE VIEW mentions AS SELECT * FROM "
            f"read_parquet('{glob}', hive_partitioning = false, union_by_name = true)"
        )

    def close(self) -> None:
        """Close the DuckDB connection."""
        self._con.close()

    def _rows(self, sql: str, params: list[Any] | None = None) -> list[tuple]:
        return self._con.cursor().execute(sql, params or []).fetchall()

    def date_range(self) -> tuple[dt.date, dt.date] | None:
        """Return the first and last day of the dated articles, or None when none has a date."""
        first, last = self._rows("SELECT min(date), max(date) FROM mentions")[0]
        return (first, last) if first is not None else None

    def totals(self) -> tuple[int, int, int]:
        """Return (articles with a mention, mentions, distinct places) over the whole corpus."""
        row = self._rows("SELECT count(DISTINCT article_id), count(*), count(DISTINCT place_id) FROM mentions")[0]
        return int(row[0]), int(row[1]), int(row[2])

    def failures(self) -> int:
        """Return how many articles could not be parsed (recorded under failures/)."""
        if not any((self.out / FAILURES_DIR).glob("*.parquet")):
            return 0
        glob = str(self.out / FAILURES_DIR / "*.parquet")
        return int(self._rows("SELECT count(*) FROM read_parquet(?)", [glob])[0][0])

    def per_day(self, days: tuple[dt.date, dt.date] | None = None) -> list[tuple[dt.date, int, int]]:
        """Return (day, mentions, articles) for each dated day in ``days``, in order."""
        where, params = _days(days)
        return self._rows(
            f"SELECT date, count(*), count(DISTINCT article_id) FROM mentions WHERE date IS NOT NULL {where} "
            "GROUP BY date ORDER BY date",
            params,
        )

    def events_per_day(self, days: tuple[dt.date, dt.date] | None = None) -> list[tuple[dt.date, str, int]]:
        """Return (event day, main event type, mentions) of the articles of ``days``, by day then
        type; mentions without an event date (or read before events were) are left out."""
        if "event_date" not in self._columns():
            return []
        where, params = _days(days)
        return self._rows(
            "SELECT event_date, event_type, count(*) FROM mentions "
            f"WHERE event_date IS NOT NULL AND event_type IS NOT NULL {where} "
            "GROUP BY event_date, event_type ORDER BY event_date, event_type",
            params,
        )

    def _columns(self) -> set[str]:
        return {row[0] for row in self._rows("DESCRIBE mentions")}

    def places(self, days: tuple[dt.date, dt.date] | None = None, *, limit: int | None = None) -> list[CorpusPlace]:
        """Return the placed places named in ``days``, most mentioned first (the first ``limit`` only)."""
        where, params = _days(days)
        top = f"LIMIT {int(limit)}" if limit else ""
        rows = self._rows(
            "SELECT place_id, any_value(name), any_value(kind), any_value(country), any_value(lat), any_value(lon), "
            f"count(*) AS n, count(DISTINCT article_id) FROM mentions WHERE place_id IS NOT NULL {where} "
            f"GROUP BY place_id ORDER BY n DESC, place_id {top}",
            params,
        )
        return [CorpusPlace(*row) for row in rows]

    def excerpts(
        self, place_id: str, days: tuple[dt.date, dt.date] | None = None, *, page: int = 0, per_page: int = 20
    ) -> tuple[list[Excerpt], int]:
        """Return one page of ``place_id``'s mentions in ``days`` (newest first) and how many there are."""
        where, params = _days(days)
        total = self._rows(f"SELECT count(*) FROM mentions WHERE place_id = ? {where}", [place_id, *params])[0][0]
        rows = self._rows(
            f"SELECT article_id, title, url, date, text, excerpt FROM mentions WHERE place_id = ? {where} "
            "ORDER BY date DESC NULLS LAST, article_id, start LIMIT ? OFFSET ?",
            [place_id, *params, per_page, page * per_page],
        )
        return [Excerpt(*row) for row in rows], int(total)

    def nearest(
        self, lat: float, lon: float, days: tuple[dt.date, dt.date] | None = None, *, within_km: float = 50.0
    ) -> CorpusPlace | None:
        """Return the most mentioned place within ``within_km`` of a clicked point (nearest first among ties)."""
        where, params = _days(days)
        box = within_km / 111.0
        wide = box / max(math.cos(math.radians(lat)), 0.01)
        rows = self._rows(
            "SELECT place_id, any_value(name), any_value(kind), any_value(country), any_value(lat) AS y, "
            "any_value(lon) AS x, count(*) AS n, count(DISTINCT article_id) FROM mentions "
            f"WHERE place_id IS NOT NULL AND lat BETWEEN ? AND ? AND lon BETWEEN ? AND ? {where} "
            "GROUP BY place_id ORDER BY (y - ?) * (y - ?) + (x - ?) * (x - ?), n DESC LIMIT 1",
            [lat - box, lat + box, lon - wide, lon + wide, *params, lat, lat, lon, lon],
        )
        return CorpusPlace(*rows[0]) if rows else None


def open_corpus(out: Path) -> CorpusQuery:
    """Return queries over the corpus output at ``out``; raise InputError when it holds no mentions."""
    out = Path(out)
    if not any((out / MENTIONS_DIR).glob("*/*.parquet")):
        raise InputError(f"{out} holds no corpus output (expected {MENTIONS_DIR}/day=…/*.parquet)")
    return CorpusQuery(out)


def _days(days: tuple[dt.date, dt.date] | None) -> tuple[str, list[Any]]:
    if days is None:
        return "", []
    return "AND date BETWEEN ? AND ?", [days[0], days[1]]
