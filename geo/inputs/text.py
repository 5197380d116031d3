"""Reading articles: bytes in, text out, or a clear reason why not."""

from __future__ import annotations

import codecs
from pathlib import Path

from geo.core.errors import InputError
from geo.inputs.metadata import ArticleMeta, page_meta

#: Largest article accepted, in bytes: a long feature is ~100 KB; 2 MB is a book, not news.
MAX_BYTES = 2_000_000
#: Longest article accepted, in characters: spaCy's own limit (``Language.max_length``).
MAX_CHARS = 1_000_000
#: Fewest words an HTML page's extracted text needs to count as an article.
MIN_PAGE_WORDS = 8


def decode_article(data: bytes, *, name: str = "the article") -> str:
    """Return the text of an article given as bytes, read as UTF-8 (or UTF-16 or UTF-8 after a
    byte order mark, which is left out).

    Raises InputError, naming ``name``, for empty, oversized, binary or non-UTF-8 input.
    """
    if len(data) > MAX_BYTES:
        raise InputError(f"{name} is {len(data) / 1e6:.1f} MB; articles of up to {MAX_BYTES / 1e6:.0f} MB are read")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return check_text(data.decode("utf-16"), name=name)
        except UnicodeDecodeError as err:
            raise InputError(f"{name} starts as UTF-16 text but is not; save it as UTF-8 and try again") from err
    if b"\x00" in data:
        raise InputError(f"{name} looks like a binary file, not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(
            f"{name} is not UTF-8 text (byte {err.start} is 0x{data[err.start]:02x}); save it as UTF-8 and try again"
        ) from err
    check_text(text, name=name)
    return text


def check_text(text: str, *, name: str = "the article") -> str:
    """Return ``text`` unchanged if it is worth parsing; raise InputError otherwise."""
    if not text.strip():
        raise InputError(f"{name} is empty")
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise InputError(f"{name} is larger than {MAX_BYTES / 1e6:.0f} MB")
    if len(text) > MAX_CHARS:
        raise InputError(f"{name} has {len(text):,} characters; articles of up to {MAX_CHARS:,} characters are read")
    controls = sum(1 for ch in text[:10_000] if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    if controls > 0.05 * min(len(text), 10_000):
        raise InputError(f"{name} looks like a binary file, not text")
    return text


def read_article(path: Path) -> str:
    """Return the text of the article file at ``path``; raise InputError if it can't be read."""
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise InputError(f"cannot read {path}: {err.strerror or err}") from err
    return decode_article(data, name=str(path))


def looks_like_html(text: str) -> bool:
    """Return True when ``text`` is an HTML document rather than plain article text."""
    head = text.lstrip()[:1000].lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in text)


def html_article(page: str, *, name: str = "the page") -> tuple[str | None, str]:
    """Return (title, text) of the article in an HTML page; raise InputError if it has none."""
    meta, text = html_page(page, name=name)
    return meta.title, text


def html_page(page: str, *, name: str = "the page") -> tuple[ArticleMeta, str]:
    """Return (metadata, text) of the article in an HTML page; raise InputError if it has none.

    trafilatura finds the main text and leaves out menus, scripts, comments and footers; the
    metadata (title, outlet, date, canonical address) comes from the page's head and trafilatura,
    cleaned (geo.inputs.metadata.page_meta).
    """
    import trafilatura  # loads lxml: only when a page comes in

    document = trafilatura.bare_extraction(page, with_metadata=True, include_comments=False)
    text = getattr(document, "text", None) if document is not None else None
    # A page whose "article" is a menu word or two ("Home") has no article.
    if not text or len(text.split()) < MIN_PAGE_WORDS:
        raise InputError(f"{name} has no article text that could be found")
    return page_meta(page, document), check_text(text, name=name)
