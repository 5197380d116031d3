"""Reading the gold corpora. They stay where they are (``../shared/eval/``); pass their path."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Collection
from dataclasses import dataclass, replace
from pathlib import Path

from geo.core.errors import InputError
from geo.core.normalize import name_key

CORPORA = ("lgl", "geovirus")
#: The first 70% of a file's documents are for tuning; the last 30% only for reporting.
TUNE_SHARE = 0.7


@dataclass(frozen=True)
class GoldToponym:
    """A hand-annotated toponym: its span, and its coordinates when it was grounded."""

    start: int
    end: int
    text: str
    lat: float | None
    lon: float | None


@dataclass(frozen=True)
class GoldDoc:
    """A gold document: its text and toponyms."""

    id: str
    text: str
    toponyms: tuple[GoldToponym, ...]


def load(corpus: str, path: Path) -> list[GoldDoc]:
    """Return the documents of a gold corpus file ("lgl" or "geovirus"), in file order."""
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as err:
        raise InputError(f"cannot read the {corpus} corpus at {path}: {err}") from err
    if corpus == "lgl":
        return [_lgl_doc(article) for article in root.iter("article")]
    if corpus == "geovirus":
        return [_geovirus_doc(i, article) for i, article in enumerate(root.iter("article"))]
    raise InputError(f"unknown corpus {corpus!r}; expected one of {', '.join(CORPORA)}")


def without(docs: list[GoldDoc], keys: Collection[str]) -> list[GoldDoc]:
    """Return ``docs`` without the gold toponyms whose name key is in ``keys`` (the corpora's
    demonyms, which News Atlas's default maps none of: what they cost the default's scores)."""
    return [replace(doc, toponyms=tuple(t for t in doc.toponyms if name_key(t.text) not in keys)) for doc in docs]


def split(docs: list[GoldDoc], which: str) -> list[GoldDoc]:
    """Return the ``tune`` (first 70%), ``test`` (last 30%) or ``all`` documents."""
    cut = round(len(docs) * TUNE_SHARE)
    return {"all": docs, "tune": docs[:cut], "test": docs[cut:]}[which]


def _float(node: ET.Element | None) -> float | None:
    return float(node.text) if node is not None and node.text and node.text.strip() else None


def _offset(node: ET.Element, tag: str) -> int:
    try:
        return int(node.findtext(tag) or "")
    except ValueError as err:
        raise InputError(f"a <{node.tag}> without a whole-number <{tag}>") from err


def _lgl_doc(article: ET.Element) -> GoldDoc:
    text = article.findtext("text") or ""
    toponyms = []
    for toponym in article.iter("toponym"):
        start, end = _offset(toponym, "start"), _offset(toponym, "end")
        gaztag = toponym.find("gaztag")
        lat = _float(gaztag.find("lat")) if gaztag is not None else None
        lon = _float(gaztag.find("lon")) if gaztag is not None else None
        toponyms.append(GoldToponym(start, end, text[start:end], lat, lon))
    return GoldDoc(article.get("docid", ""), text, tuple(toponyms))


def _geovirus_doc(index: int, article: ET.Element) -> GoldDoc:
    text = article.findtext("text") or ""
    toponyms = []
    for location in article.iter("location"):
        # GeoVirus offsets are 1-based: text[start - 1 : end - 1] is the name.
        start, end = _offset(location, "start") - 1, _offset(location, "end") - 1
        toponyms.append(
            GoldToponym(start, end, text[start:end], _float(location.find("lat")), _float(location.find("lon")))
        )
    return GoldDoc(article.findtext("source") or str(index), text, tuple(toponyms))
