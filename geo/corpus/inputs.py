"""Reading a corpus: a folder of article files, or a table with one article a row, as batches of ``Article``.

A folder gives every ``.txt``, ``.md``, ``.html`` and ``.htm`` file under it (sorted; the id is the
path relative to the folder). A ``.jsonl``/``.ndjson``, ``.csv`` or ``.parquet`` file gives one
article a row, its columns named by ``Columns``. An article that cannot be read becomes an
``Article`` with a ``problem`` and no text: it is recorded with its reason, not dropped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from itertools import islice
from pathlib import Path

from geo.core.errors import InputError
from geo.inputs.metadata import ArticleMeta, dateline, split_front_matter
from geo.inputs.text import check_text, decode_article, html_article, looks_like_html

__all__ = ["ARTICLE_SUFFIXES", "TABLE_SUFFIXES", "Article", "Batch", "Columns", "batches", "read_articles"]

log = logging.getLogger(__name__)

ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm")
TABLE_SUFFIXES = (".jsonl", ".ndjson", ".csv", ".parquet")


@dataclass(frozen=True)
class Columns:
    """Which columns of a table hold the article's id, title, date, address and text."""

    id: str = "id"
    title: str = "title"
    date: str = "date"
    url: str = "url"
    text: str = "text"


@dataclass(frozen=True)
class Article:
    """One article of a corpus; ``problem`` says why it could not be read (then ``text`` is "")."""

    id: str
    text: str
    title: str | None = None
    date: dt.date | None = None
    url: str | None = None
    problem: str | None = None


@dataclass(frozen=True)
class Batch:
    """Articles parsed together; ``key`` names the batch's output and is the same on every run over
    the same input (its position and a digest of its article ids), so a rerun can skip it."""

    key: str
    articles: tuple[Article, ...]


def read_articles(source: Path, columns: Columns | None = None) -> Iterator[Article]:
    """Yield the articles of ``source`` (a folder, or a JSON Lines, CSV or Parquet file) in a stable order.

    Raises InputError when ``source`` itself cannot be read (missing, unknown format, no text column).
    """
    source, columns = Path(source), columns or Columns()
    if source.is_dir():
        return _folder(source)
    if not source.exists():
        raise InputError(f"{source} does not exist")
    suffix = source.suffix.lower()
    if suffix in TABLE_SUFFIXES:
        return _table(source, suffix, columns)
    if suffix in ARTICLE_SUFFIXES:
        return _folder_files(source.parent, [source])
    raise InputError(f"{source}: expected a folder, or a {', '.join(TABLE_SUFFIXES)} file")


def batches(articles: Iterable[Article], size: int) -> Iterator[Batch]:
    """Yield ``articles`` in batches of ``size``, each keyed by its position and its articles' ids."""
    if size < 1:
        raise ValueError("a batch holds at least one article")
    iterator = iter(articles)
    index = 0
    while chunk := tuple(islice(iterator, size)):
        digest = hashlib.sha1("\n".join(a.id for a in chunk).encode("utf-8")).hexdigest()[:12]
        yield Batch(f"b{index:06d}-{digest}", chunk)
        index += 1


def _folder(folder: Path) -> Iterator[Article]:
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES)
    if not files:
        raise InputError(f"{folder} holds no {', '.join(ARTICLE_SUFFIXES)} files")
    return _folder_files(folder, files)


def _folder_files(folder: Path, files: list[Path]) -> Iterator[Article]:
    for path in files:
        article_id = path.relative_to(folder).as_posix()
        try:
            text = decode_article(path.read_bytes(), name=article_id)
            title: str | None = None
            meta = ArticleMeta()
            if path.suffix.lower() in (".html", ".htm") or looks_like_html(text):
                title, text = html_article(text, name=article_id)
            else:
                # The date, title and address a text file's front matter (or dateline) gives, as
                # ``geo parse`` reads them: an event's day counts from the publication date. The
                # text stays whole, so offsets count in the file as ``geo parse``'s do.
                front, start = split_front_matter(text)
                meta = (front or ArticleMeta()).merged(dateline(text[start:]))
                title = meta.title or _first_line(text[start:])
        except (OSError, InputError) as err:
            yield Article(article_id, "", problem=str(err))
            continue
        yield Article(article_id, text, title=title, date=meta.date, url=meta.url)


def _first_line(text: str) -> str | None:
    line = next((line.strip() for line in text.splitlines() if line.strip()), None)
    return line[:200] if line else None


def _table(path: Path, suffix: str, columns: Columns) -> Iterator[Article]:
    import pyarrow as pa  # only corpus mode reads tables

    try:
        table = _read_table(path, suffix)
    except (OSError, pa.ArrowException) as err:
        raise InputError(f"cannot read {path}: {err}") from err
    if columns.text not in table.column_names:
        raise InputError(f"{path} has no {columns.text!r} column (columns: {', '.join(table.column_names)})")
    if columns.id not in table.column_names:
        log.warning("%s has no %r column: articles are numbered by row", path, columns.id)
    return _rows(table, columns)


def _read_table(path: Path, suffix: str):  # -> pyarrow.Table
    if suffix == ".parquet":
        import pyarrow.parquet as pq

        return pq.read_table(path)
    if suffix == ".csv":
        import pyarrow.csv as pacsv

        # Every column as text: ids like "0012" and dates keep their spelling.
        names = pacsv.read_csv(path, read_options=pacsv.ReadOptions(block_size=1 << 20)).column_names
        return pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(names, "string")))
    import pyarrow.json as pajson

    return pajson.read_json(path)


def _rows(table, columns: Columns) -> Iterator[Article]:  # table: pyarrow.Table
    names = set(table.column_names)
    row_number = -1
    for batch in table.to_batches(max_chunksize=1024):
        for row in batch.to_pylist():
            row_number += 1
            raw_id = row.get(columns.id) if columns.id in names else None
            article_id = str(raw_id) if raw_id not in (None, "") else f"row-{row_number}"
            article = Article(
                article_id,
                "",
                title=_text_or_none(row.get(columns.title)),
                url=_text_or_none(row.get(columns.url)),
            )
            try:
                article = replace(article, date=_date(row.get(columns.date)))
                text = row.get(columns.text)
                if not isinstance(text, str):
                    raise InputError(f"{article_id} has no text")
                if looks_like_html(text):
                    title, text = html_article(text, name=article_id)
                    article = replace(article, title=article.title or title)
                yield replace(article, text=check_text(text, name=article_id))
            except InputError as err:
                yield replace(article, problem=str(err))


def _text_or_none(value: object) -> str | None:
    return str(value) if value not in (None, "") else None


def _date(value: object) -> dt.date | None:
    """Return the day of a date given as a date, a datetime or ISO text ("2016-03-14", "2016-03-14T10:00Z")."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError as err:
        raise InputError(f"the date {value!r} is not an ISO date (YYYY-MM-DD)") from err
