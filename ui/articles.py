"""Articles in: the samples chosen, the text pasted, the files uploaded, the page fetched; then their places."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import streamlit as st

from geo.articles import Article
from geo.errors import GeoError, InputError
from geo.escaping import escape_markdown
from geo.text import check_text, decode_article, html_article, looks_like_html
from geo.values import PlaceMention
from ui import resources
from ui.sidebar import Geocoding, Inputs

log = logging.getLogger("news_atlas")


def as_article(name: str, text: str, source: str) -> Article:
    """Plain text as it is; an HTML page reduced to its article (raises InputError)."""
    if looks_like_html(text):
        title, body = html_article(text, name=name)
        return Article(title or name, body, source)
    return Article(name, check_text(text, name=name), source)


def gather(inputs: Inputs, seeds: Sequence[Article]) -> tuple[list[Article], list[str]]:
    """Return the articles ``inputs`` ask for, and a sentence for each input that could not be read."""
    articles = [a for a in seeds if a.name in inputs.seeds]
    problems: list[str] = []
    if inputs.pasted.strip():
        try:
            articles.append(as_article("Pasted article", inputs.pasted, "pasted"))
        except InputError as err:
            problems.append(str(err))
    for upload in inputs.uploads:
        try:
            articles.append(as_article(upload.name, decode_article(upload.getvalue(), name=upload.name), "upload"))
        except InputError as err:
            problems.append(str(err))
    if inputs.address.strip():
        try:
            articles.append(resources.fetched(inputs.address.strip()))
        except InputError as err:
            problems.append(str(err))
    return articles, problems


@dataclass(frozen=True)
class Parsed:
    """The place mentions of each article mapped, and its text, by article name (in the articles' order)."""

    results: dict[str, list[PlaceMention]]
    texts: dict[str, str]


def parse_all(articles: Sequence[Article], geocoding: Geocoding) -> Parsed:
    """Find the places in ``articles``, with a progress bar for several; say which could not be mapped, and why."""
    results: dict[str, list[PlaceMention]] = {}
    texts: dict[str, str] = {}
    warnings: set[str] = set()
    progress = st.progress(0.0, text="Finding places…") if len(articles) > 1 else None
    version = resources.corrections().version()  # once a run: the key under which parses are cached
    service, url, ask_online = geocoding.service, geocoding.url, geocoding.ask_online
    for number, article in enumerate(articles, start=1):
        try:
            result = resources.parse(article.text, service, url, ask_online, version)
            results[article.name] = list(result.mentions)
            texts[article.name] = article.text
            if result.warnings:
                warnings.update(result.warnings)
                resources.parse.clear(article.text, service, url, ask_online, version)  # ask the service again next run
        except GeoError as err:
            st.error(escape_markdown(f"Could not map “{article.name}”: {err}"))
        except Exception:  # the UI boundary: log the traceback, show the user a sentence
            log.exception("parsing %s failed", article.name)
            st.error(
                escape_markdown(
                    f"Something went wrong while mapping “{article.name}”; the other articles are still shown."
                )
            )
        if progress is not None and (number % max(1, len(articles) // 25) == 0 or number == len(articles)):
            # At most about 25 updates: each one is a message to the browser, on every rerun.
            progress.progress(number / len(articles), text=f"Finding places… {number} of {len(articles)} articles")
    if progress is not None:
        progress.empty()
    for warning in sorted(warnings):
        st.warning(escape_markdown(warning))
    return Parsed(results, texts)
