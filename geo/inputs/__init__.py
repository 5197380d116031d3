"""Articles in: bytes to text or a clear reason why not (text), title, outlet, date and address (metadata),
the app's article values (articles) and guarded web fetches (fetch).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from geo.core.lazy import exports

if TYPE_CHECKING:
    from geo.inputs.articles import Article, article_of, load_folder
    from geo.inputs.fetch import fetch_article
    from geo.inputs.metadata import ArticleMeta
    from geo.inputs.text import check_text, decode_article, read_article

__getattr__ = exports(
    __name__,
    {
        "check_text": "text",
        "decode_article": "text",
        "read_article": "text",
        "ArticleMeta": "metadata",
        "Article": "articles",
        "article_of": "articles",
        "load_folder": "articles",
        "fetch_article": "fetch",
    },
)
__all__ = [
    "Article",
    "ArticleMeta",
    "article_of",
    "check_text",
    "decode_article",
    "fetch_article",
    "load_folder",
    "read_article",
]
