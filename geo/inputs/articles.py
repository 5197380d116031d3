"""Articles as the app handles them: a name, a text, where they came from, and their metadata."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from geo.core.errors import InputError
from geo.inputs.metadata import ArticleMeta, dateline, pretty_name, split_front_matter
from geo.inputs.text import check_text, html_page, looks_like_html

__all__ = ["Article", "article_of", "load_folder"]


@dataclass(frozen=True)
class Article:
    """An article to map: a short name for lists (unique among those loaded), its text, where it
    came from, and its title, outlet, date and address when known."""

    name: str
    text: str
    source: str
    meta: ArticleMeta = field(default_factory=ArticleMeta)


def article_of(name: str, text: str, source: str) -> Article:
    """Return the Article in ``text``: an HTML page reduced to its article with the page's metadata;
    plain text without its front-matter block (whose values it takes), else with its dateline's
    date and outlet. Raises InputError when there is no article."""
    if looks_like_html(text):
        meta, body = html_page(text, name=name)
        return Article(meta.title or name, body, source, meta)
    front, start = split_front_matter(text)
    body = check_text(text[start:], name=name)
    # The shown and parsed text is the body: mention offsets count from there.
    return Article(name, body, source, (front or ArticleMeta()).merged(dateline(body)))


def load_folder(folder: Path) -> list[Article]:
    """Return the UTF-8 ``.txt`` articles in ``folder``, named after their files (unreadable ones skipped)."""
    articles = []
    for path in sorted(Path(folder).glob("*.txt")):
        try:
            stat = path.stat()
            article = _load(str(path), stat.st_mtime_ns, stat.st_size)
        except OSError:
            continue
        if article is not None:
            articles.append(article)
    return articles


@lru_cache(maxsize=2048)
def _load(path: str, mtime_ns: int, size: int) -> Article | None:
    """Return the article in the file at ``path`` as it was at ``mtime_ns`` and ``size``, or None.

    Kept by the file's time and size: the app reads its folder on every rerun, and checking the
    text and reading its metadata for 200 files took 25 ms of each.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
        return article_of(pretty_name(Path(path).stem, text), text, path)
    except (OSError, UnicodeDecodeError, InputError):  # e.g. empty, or only front matter
        return None
