"""Fetching an article from a URL (when there is a network): polite, bounded, HTML reduced to text."""

from __future__ import annotations

import requests

from geo.articles import Article
from geo.errors import InputError
from geo.online import USER_AGENT
from geo.text import MAX_BYTES, decode_article, html_article, looks_like_html

TIMEOUT = 10.0


def fetch_article(url: str, *, timeout: float = TIMEOUT) -> Article:
    """Return the article at ``url``; raise InputError with a clear reason when it can't be had."""
    if not url.lower().startswith(("http://", "https://")):
        raise InputError(f"{url!r} is not a web address (it should start with https://)")
    try:
        with requests.get(url, timeout=timeout, headers={"User-Agent": USER_AGENT}, stream=True) as response:
            response.raise_for_status()
            data = response.raw.read(MAX_BYTES + 1, decode_content=True)
            declared = response.encoding
    except requests.RequestException as err:
        raise InputError(f"could not fetch {url}: {err.__class__.__name__}") from err
    if len(data) > MAX_BYTES:
        raise InputError(f"{url} is larger than {MAX_BYTES / 1e6:.0f} MB")
    try:
        text = data.decode(declared or "utf-8")
    except (LookupError, UnicodeDecodeError):
        text = decode_article(data, name=url)
    if looks_like_html(text):
        title, body = html_article(text, name=url)
        return Article(title or url, body, url)
    return Article(url, decode_article(text.encode("utf-8"), name=url), url)
