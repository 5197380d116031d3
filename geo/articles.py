"""Articles as the app handles them: a name, a text, and where they came from."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Article:
    """An article to map: a short name for lists, its text, and where it came from."""

    name: str
    text: str
    source: str


def load_folder(folder: Path) -> list[Article]:
    """Return the UTF-8 ``.txt`` articles in ``folder``, by file name (unreadable ones skipped)."""
    articles = []
    for path in sorted(Path(folder).glob("*.txt")):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if text.strip():
            articles.append(Article(path.stem.replace("-", " ").capitalize(), text, str(path)))
    return articles
