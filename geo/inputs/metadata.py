"""What is known of an article besides its text: title, outlet, publication date and address.

Every value comes from outside (a page's head, a file's first lines), so each is cleaned on the
way in: whitespace collapsed, invisible controls removed, lengths bounded, addresses only http(s),
dates only as real calendar dates. Where a value cannot be trusted it is left out (None), never
guessed.

Sources, in the order they are tried:

- a front-matter block at the very top of a text file (``split_front_matter``)::

      ---
      title: Russia to pull forces out of Syria
      outlet: The Daily Example
      date: 2016-03-14
      url: https://example.com/news/russia-syria
      ---

- a page's HTML: ``<link rel=canonical>``, ``og:url``, ``article:published_time``, ``og:site_name``,
  ``og:title``, and trafilatura's own metadata (``page_meta``);
- a wire-service dateline on the first line, "BEIRUT, March 15, 2016 (Reuters) -" (``dateline``),
  read only when it has exactly that shape.
"""

from __future__ import annotations

import datetime as dt
import re
import urllib.parse
from collections import Counter
from dataclasses import dataclass
from typing import Any

from geo.core.sanitize import visible

__all__ = [
    "MAX_OUTLET",
    "MAX_TITLE",
    "MAX_URL",
    "ArticleMeta",
    "clean_meta",
    "clean_text",
    "clean_url",
    "dateline",
    "label",
    "page_meta",
    "parse_date",
    "pretty_name",
    "split_front_matter",
]

#: Longest title, outlet and address kept, in characters: a headline is rarely over 150.
MAX_TITLE = 300
MAX_OUTLET = 100
MAX_URL = 2000
#: Earliest publication date believed (older ones are typos or the page's copyright line).
EARLIEST = dt.date(1800, 1, 1)
#: Most lines of a front-matter block read: it is a few lines, not a document.
MAX_FRONT_MATTER_LINES = 20


@dataclass(frozen=True)
class ArticleMeta:
    """An article's title, outlet, publication date and address; each None when not known."""

    title: str | None = None
    outlet: str | None = None
    date: dt.date | None = None
    url: str | None = None

    def merged(self, other: ArticleMeta) -> ArticleMeta:
        """Return these values, each missing one taken from ``other``."""
        return ArticleMeta(
            self.title or other.title,
            self.outlet or other.outlet,
            self.date or other.date,
            self.url or other.url,
        )


def clean_text(value: object, limit: int) -> str | None:
    """Return ``value`` as one line of visible text of at most ``limit`` characters, or None when empty."""
    if not isinstance(value, str):
        return None
    text = " ".join(visible(value).split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text or None


def clean_url(value: object) -> str | None:
    """Return ``value`` if it is an absolute http(s) address of at most ``MAX_URL`` characters, else None."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    if not url or len(url) > MAX_URL or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return None
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:  # e.g. a malformed IPv6 host
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url


_ISO_DATE = re.compile(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:$|[T\s])")
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_WORDY_DATE = re.compile(r"\s*([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})\s*$")


def parse_date(value: object, *, today: dt.date | None = None) -> dt.date | None:
    """Return the calendar date ``value`` names ("2016-03-15", "2016-03-15T09:30:00Z", "March 15,
    2016", a date), or None when it names none, or one before 1800 or after tomorrow."""
    if isinstance(value, dt.datetime):
        day: dt.date | None = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, str) and len(value) <= 64:
        day = None
        if match := _ISO_DATE.match(value):
            year, month, number = (int(g) for g in match.groups())
        elif (match := _WORDY_DATE.match(value)) and match.group(1).lower() in _MONTHS:
            year, month, number = int(match.group(3)), _MONTHS[match.group(1).lower()], int(match.group(2))
        else:
            return None
        try:
            day = dt.date(year, month, number)
        except ValueError:  # 2016-02-30
            return None
    else:
        return None
    latest = (today or dt.date.today()) + dt.timedelta(days=1)  # a page dated in another time zone
    return day if day is not None and EARLIEST <= day <= latest else None


def clean_meta(title: object = None, outlet: object = None, date: object = None, url: object = None) -> ArticleMeta:
    """Return an ArticleMeta of untrusted values, each cleaned (None where it cannot be trusted)."""
    return ArticleMeta(clean_text(title, MAX_TITLE), clean_text(outlet, MAX_OUTLET), parse_date(date), clean_url(url))


_FENCE = re.compile(r"-{3}[ \t]*\r?\n")
_FIELD = re.compile(r"([A-Za-z_]+)[ \t]*:[ \t]*(.*)")
_FIELDS = {
    "title": "title",
    "outlet": "outlet",
    "source": "outlet",
    "publisher": "outlet",
    "date": "date",
    "url": "url",
}


def split_front_matter(text: str) -> tuple[ArticleMeta | None, int]:
    """Return the metadata of a front-matter block at the top of ``text`` and where the article
    after it starts; (None, 0) when ``text`` does not start with such a block.

    A block is ``---`` on the first line, ``key: value`` lines (title, outlet or source, date, url;
    other keys ignored, blank lines allowed), and ``---`` again, within ``MAX_FRONT_MATTER_LINES``.
    """
    opening = _FENCE.match(text.lstrip("\ufeff"))
    if opening is None:
        return None, 0
    position = opening.end() + (len(text) - len(text.lstrip("\ufeff")))
    values: dict[str, str] = {}
    for _ in range(MAX_FRONT_MATTER_LINES):
        end = text.find("\n", position)
        line = text[position : len(text) if end < 0 else end].rstrip("\r")
        after = len(text) if end < 0 else end + 1
        if line.rstrip() == "---":
            meta = clean_meta(values.get("title"), values.get("outlet"), values.get("date"), values.get("url"))
            return meta, after
        field = _FIELD.fullmatch(line.strip())
        if line.strip() and field is None:
            return None, 0  # not front matter: an article that starts with a rule
        if field is not None and field.group(1).lower() in _FIELDS:
            values.setdefault(_FIELDS[field.group(1).lower()], field.group(2).strip().strip("\"'"))
        if end < 0:
            return None, 0
        position = after
    return None, 0


# "BEIRUT, March 15, 2016 (Reuters) -": a place in capitals, a written date, the outlet in
# brackets, a dash. Anything looser would read a date out of an ordinary first sentence.
_DATELINE = re.compile(
    r"\s*[A-Z][A-Z.'’ -]{1,40}(?:, [A-Z][A-Za-z.'’ -]{1,30})?, "
    r"(?P<date>[A-Z][a-z]{2,8}\.? \d{1,2},? \d{4})"
    r" \((?P<outlet>[A-Z][A-Za-z&.'’ -]{1,40})\) ?[-–—]"
)


def dateline(text: str) -> ArticleMeta:
    """Return the date and outlet of a wire-service dateline opening ``text`` ("BEIRUT, March 15,
    2016 (Reuters) -"); an empty ArticleMeta when the first line is not one."""
    match = _DATELINE.match(text[:200])
    if match is None:
        return ArticleMeta()
    date = parse_date(match.group("date"))
    if date is None:
        return ArticleMeta()
    return ArticleMeta(outlet=clean_text(match.group("outlet"), MAX_OUTLET), date=date)


def _head_values(page: str) -> dict[str, str]:
    """Return the head's metadata that names the article: canonical address, og:*, article:published_time."""
    import lxml.html  # type: ignore[import-untyped]  # trafilatura's own parser: loaded only when a page comes in

    try:
        root = lxml.html.document_fromstring(page)
    except (ValueError, TypeError, lxml.etree.ParserError):
        return {}
    found: dict[str, str] = {}
    for link in root.iterfind(".//link"):
        if "canonical" in (link.get("rel") or "").lower().split():
            found.setdefault("canonical", link.get("href") or "")
    for meta in root.iterfind(".//meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        if key in ("og:url", "og:title", "og:site_name", "article:published_time", "datepublished", "date"):
            found.setdefault(key, meta.get("content") or "")
    return found


def page_meta(page: str, document: Any) -> ArticleMeta:
    """Return the metadata of an HTML page: its head's own tags first (canonical link, og:url,
    article:published_time, og:site_name, og:title), then what trafilatura's ``document`` found."""
    head = _head_values(page)
    url = clean_url(head.get("canonical")) or clean_url(head.get("og:url")) or clean_url(getattr(document, "url", None))
    date = (
        parse_date(head.get("article:published_time"))
        or parse_date(head.get("datepublished"))
        or parse_date(getattr(document, "date", None))
    )
    title = clean_text(getattr(document, "title", None), MAX_TITLE) or clean_text(head.get("og:title"), MAX_TITLE)
    outlet = clean_text(head.get("og:site_name"), MAX_OUTLET) or clean_text(
        getattr(document, "sitename", None), MAX_OUTLET
    )
    return ArticleMeta(title, outlet, date, url)


def pretty_name(stem: str, article: str = "") -> str:
    """Return a file name's stem as a readable article name: %-escapes decoded, ``-`` and ``_`` as
    spaces, quotes and stray symbols dropped, the first letter capitalised ("gv-%22aggressive%22"
    → "Gv aggressive"), and each word written as the ``article`` mostly writes it, where it does
    ("russia-withdraws-from-syria" over a text that names Syria → "Russia withdraws from Syria")."""
    text = urllib.parse.unquote(stem)
    text = re.sub(r"[-_+]+", " ", text)
    text = re.sub(r"[\"“”«»<>{}\[\]|\\^`]+", "", text)
    words = visible(text).split()
    if article:
        written = Counter(re.findall(r"[^\W\d_]+", article[:_CASE_SAMPLE]))
        words = [_as_written(word, written) for word in words]
    text = " ".join(words)[:MAX_TITLE]
    return text[:1].upper() + text[1:] if text else stem


#: How much of an article's text is read for how it writes a file name's words.
_CASE_SAMPLE = 20_000


def _as_written(word: str, written: Counter[str]) -> str:
    """Return ``word`` as the text writes it most often, when the text writes it at all."""
    forms = [(count, form) for form, count in written.items() if form.lower() == word.lower()]
    return max(forms)[1] if forms and word.islower() else word


def label(name: str, meta: ArticleMeta) -> str:
    """Return how an article is listed: "title · outlet · date" (its name when it has no title)."""
    parts = [meta.title or name, meta.outlet or "", meta.date.isoformat() if meta.date else "no date"]
    return " · ".join(p for p in parts if p)
