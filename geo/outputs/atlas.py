"""The atlas file: a named collection of articles with their corrections, the filters, the colouring,
the map's view and selection, and the reader's own layers, as one JSON document (docs/atlas-format.md).

``to_json`` writes one; ``read_atlas`` reads one from outside (an upload, a link's stored copy, the
command line) as untrusted input: its size, its nesting, every field's type and range are checked
before anything of it is used, and a document that fails says why in one sentence
(``AtlasFileError``) and is not used at all. Labels are kept as text (cleaned of controls and cut
to length); wherever the app shows them it escapes them, as it does every article's text.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from geo.core.errors import GeoError, LayerError
from geo.core.features import feature_of
from geo.core.normalize import name_key
from geo.core.values import KINDS
from geo.events.taxonomy import TYPES
from geo.inputs.articles import Article
from geo.inputs.layers import SOURCES, Layer, check_feature, json_depth
from geo.inputs.metadata import ArticleMeta, clean_meta, clean_text, parse_date
from geo.inputs.text import MAX_CHARS
from geo.map.mapview import BASE_LAYERS, View
from geo.map.tints import COLOUR_BY
from geo.store.corrections import MAX_WRITTEN, Correction, Edits

__all__ = [
    "FORMAT",
    "MAX_ARTICLES",
    "MAX_CORRECTIONS",
    "MAX_DEPTH",
    "MAX_FEATURES",
    "MAX_LAYERS",
    "READ_VERSIONS",
    "VERSION",
    "Atlas",
    "AtlasArticle",
    "AtlasFileError",
    "AtlasState",
    "Layer",
    "check_feature",
    "read_atlas",
    "to_json",
]

#: The format's name and version: a reader takes its own version only (a newer file says so).
FORMAT = "news-atlas"
VERSION = 2
#: The versions read: version 1's layers had no source and no filters (docs/atlas-format.md).
READ_VERSIONS = (1, 2)
#: Bounds on what one atlas holds: articles, corrections per article, layers and their features,
#: the deepest nesting of arrays and objects (a layer's multipolygon is 10 deep).
MAX_ARTICLES = 500
MAX_CORRECTIONS = 2000
MAX_LAYERS = 20
MAX_FEATURES = 5000
MAX_DEPTH = 12
#: The default largest file read (the app passes the operator's $NEWS_ATLAS_ATLAS_MAX_BYTES).
MAX_BYTES = 5_000_000
MAX_TITLE = 200
MAX_NAME = 200
MAX_LABEL = 200
MAX_NOTE = 2000
MAX_PROPERTY = 500
#: How far after today an event day may fall: a clause may tell of a meeting to come ("will meet on
#: Tuesday"), so the timeline's days run a little past the latest publication date.
MAX_EVENT_DAYS_AHEAD = 366
#: The sources an article may say it came from; anything else reads as "atlas".
_SOURCES = ("pasted", "upload", "seed")


class AtlasFileError(GeoError):
    """An atlas document that cannot be used; the message says why, in one sentence."""


@dataclass(frozen=True)
class AtlasArticle:
    """One article of an atlas: the article itself (text, details, where it came from) and what a
    person changed in its places."""

    article: Article
    edits: Edits = field(default_factory=Edits)


@dataclass(frozen=True)
class AtlasState:
    """What the reader was looking at: the filters, the colouring, the selected place, the map's view."""

    kinds: tuple[str, ...] = KINDS
    countries: tuple[str, ...] = ()
    articles: tuple[str, ...] = ()  # the articles chosen in the list, by name (all when empty)
    min_mentions: int = 1
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    colour_by: str = COLOUR_BY[0]
    place: str | None = None
    view: View | None = None
    event_types: tuple[str, ...] = ()  # the event types shown (keys of geo.events.taxonomy; all when empty)
    event_from: dt.date | None = None  # the timeline's range of event days (None: from the first)
    event_to: dt.date | None = None  # ... (None: to the last)


@dataclass(frozen=True)
class Atlas:
    """A named collection of articles, their corrections, the view of them, and layers."""

    title: str
    articles: tuple[AtlasArticle, ...] = ()
    state: AtlasState = field(default_factory=AtlasState)
    layers: tuple[Layer, ...] = ()
    saved: str | None = None  # when it was written (ISO 8601, UTC)

    def corrections(self) -> int:
        """Return how many corrections the atlas carries."""
        return sum(len(a.edits.placed) + len(a.edits.added) + len(a.edits.removed) for a in self.articles)


# ---------------------------------------------------------------------------------------- writing


def to_json(atlas: Atlas, *, now: dt.datetime | None = None) -> str:
    """Return ``atlas`` as an atlas document of this ``VERSION`` (UTF-8 JSON text)."""
    saved = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    state = atlas.state
    document = {
        "format": FORMAT,
        "version": VERSION,
        "title": atlas.title,
        "saved": saved,
        "articles": [_article_json(a) for a in atlas.articles],
        "state": {
            "kinds": list(state.kinds),
            "countries": list(state.countries),
            "articles": list(state.articles),
            "min_mentions": state.min_mentions,
            "from": state.date_from.isoformat() if state.date_from else None,
            "to": state.date_to.isoformat() if state.date_to else None,
            "colour_by": state.colour_by,
            "place": state.place,
            "view": (
                {"lat": state.view.lat, "lng": state.view.lng, "zoom": state.view.zoom, "base": state.view.base}
                if state.view
                else None
            ),
            "event_types": list(state.event_types),
            "event_from": state.event_from.isoformat() if state.event_from else None,
            "event_to": state.event_to.isoformat() if state.event_to else None,
        },
        "layers": [_layer_json(layer) for layer in atlas.layers],
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def _correction_json(action: str, key: str, written: str | None, c: Correction | None) -> dict[str, Any]:
    row: dict[str, Any] = {"action": action, "key": key}
    if written is not None:
        row["written"] = written
    if c is not None:
        row.update(name=c.name, lat=c.lat, lon=c.lon, feature=str(c.feature), country=c.country, kind=c.kind_hint)
    return row


def _article_json(item: AtlasArticle) -> dict[str, Any]:
    a, edits = item.article, item.edits
    meta = a.meta
    corrections = [_correction_json("place", key, None, c) for key, c in edits.placed.items()]
    corrections += [_correction_json("add", name_key(written), written, c) for written, c in edits.added.items()]
    corrections += [_correction_json("remove", key, None, None) for key in sorted(edits.removed)]
    return {
        "name": a.name,
        "text": a.text,
        "source": a.source
        if a.source in _SOURCES
        else ("url" if a.source.startswith(("http://", "https://")) else "atlas"),
        "title": meta.title,
        "outlet": meta.outlet,
        "date": meta.date.isoformat() if meta.date else None,
        "url": meta.url,
        "corrections": corrections,
    }


# ---------------------------------------------------------------------------------------- reading


def read_atlas(data: bytes | str, *, max_bytes: int = MAX_BYTES) -> Atlas:
    """Return the Atlas in ``data`` (an atlas document); raise AtlasFileError, with a sentence that
    says what is wrong, for anything else: too large, not JSON, nested too deeply, another format or
    version, a field of the wrong type, coordinates off the map, too many articles or features."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else bytes(data)
    if max_bytes and len(raw) > max_bytes:
        raise AtlasFileError(
            f"this atlas file is {len(raw) / 1_000_000:.1f} MB; atlases of up to "
            f"{max_bytes / 1_000_000:.1f} MB are read"
        )
    if json_depth(raw, MAX_DEPTH) > MAX_DEPTH:
        raise AtlasFileError(f"this file is nested more than {MAX_DEPTH} levels deep: it is not an atlas")
    try:
        document = json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
    except UnicodeDecodeError:
        raise AtlasFileError("this file is not UTF-8 text: it is not an atlas") from None
    except (ValueError, RecursionError) as err:
        raise AtlasFileError(f"this file is not JSON ({str(err)[:80]}): it is not an atlas") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise AtlasFileError("this file is not a News Atlas atlas (its “format” is not “news-atlas”)")
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise AtlasFileError("this atlas has no version number")
    if version not in READ_VERSIONS:
        newer = " a newer News Atlas wrote it" if version > VERSION else ""
        raise AtlasFileError(
            f"this atlas is of version {version}; this News Atlas reads versions {READ_VERSIONS[0]} to {VERSION}"
            + (f":{newer}" if newer else "")
        )
    title = _text(document.get("title"), "title", MAX_TITLE) or "Atlas"
    articles = _list(document.get("articles", []), "articles", MAX_ARTICLES)
    read = tuple(_read_article(a, n) for n, a in enumerate(articles, start=1))
    names = [a.article.name for a in read]
    if len(set(names)) != len(names):
        raise AtlasFileError("two articles of this atlas have the same name")
    state = _read_state(document.get("state") or {})
    layers = tuple(_read_layer(x, n) for n, x in enumerate(_list(document.get("layers", []), "layers", MAX_LAYERS), 1))
    if sum(len(layer.features) for layer in layers) > MAX_FEATURES:
        raise AtlasFileError(f"this atlas's layers hold more than {MAX_FEATURES} features together")
    saved = document.get("saved")
    return Atlas(title, read, state, layers, saved if isinstance(saved, str) and len(saved) <= 40 else None)


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number JSON has")


def _list(value: object, what: str, most: int) -> list[Any]:
    if not isinstance(value, list):
        raise AtlasFileError(f"this atlas's “{what}” is not a list")
    if len(value) > most:
        raise AtlasFileError(f"this atlas has {len(value)} {what}; at most {most} are read")
    return value


def _text(value: object, what: str, limit: int, *, required: bool = False) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise AtlasFileError(f"this atlas's {what} is not text")
    return clean_text(value, limit)


def _number(value: object, what: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise AtlasFileError(f"this atlas's {what} is not a number")
    if not low <= value <= high:
        raise AtlasFileError(f"this atlas's {what} ({value:g}) is off the map: it must be from {low:g} to {high:g}")
    return float(value)


def _read_article(value: object, number: int) -> AtlasArticle:
    if not isinstance(value, dict):
        raise AtlasFileError(f"article {number} of this atlas is not an object")
    name = _text(value.get("name"), f"article {number}'s name", MAX_NAME, required=True)
    if not name:
        raise AtlasFileError(f"article {number} of this atlas has no name")
    text = value.get("text")
    if not isinstance(text, str) or not text.strip():
        raise AtlasFileError(f"article {number} of this atlas (“{name}”) has no text")
    if len(text) > MAX_CHARS:
        raise AtlasFileError(f"article “{name}” of this atlas is longer than {MAX_CHARS:,} characters")
    for what in ("title", "outlet", "date", "url"):
        if value.get(what) is not None and not isinstance(value.get(what), str):
            raise AtlasFileError(f"article “{name}”'s {what} is not text")
    meta: ArticleMeta = clean_meta(value.get("title"), value.get("outlet"), value.get("date"), value.get("url"))
    source = value.get("source")
    source = source if source in _SOURCES else "atlas"
    edits = _read_corrections(_list(value.get("corrections", []), "corrections", MAX_CORRECTIONS), name)
    return AtlasArticle(Article(name, text, source, meta), edits)


def _read_correction(row: object, article: str) -> tuple[str, str, str | None, Correction | None]:
    if not isinstance(row, dict):
        raise AtlasFileError(f"a correction of “{article}” is not an object")
    action = row.get("action")
    if action not in ("place", "add", "remove"):
        raise AtlasFileError(f"a correction of “{article}” has no action (place, add or remove)")
    written = row.get("written")
    key = row.get("key")
    if action == "add":
        if not isinstance(written, str) or not written.strip() or len(written) > MAX_WRITTEN:
            raise AtlasFileError(f"a name added to “{article}” is not a name of 1 to {MAX_WRITTEN} characters")
        key = name_key(written)
    if not isinstance(key, str) or not key or len(key) > MAX_WRITTEN or name_key(key) != key:
        raise AtlasFileError(f"a correction of “{article}” has no name key")
    if action == "remove":
        return action, key, None, None
    name = _text(row.get("name"), "corrected place's name", MAX_LABEL, required=True) or key
    lat = _number(row.get("lat"), f"latitude of “{name}”", -90, 90)
    lon = _number(row.get("lon"), f"longitude of “{name}”", -180, 180)
    feature = row.get("feature")
    country = row.get("country")
    kind = row.get("kind")
    if feature is not None and not isinstance(feature, str):
        raise AtlasFileError(f"the feature of “{name}” is not text")
    if country is not None and not (
        isinstance(country, str) and len(country) == 2 and country.isascii() and country.isalpha()
    ):
        raise AtlasFileError(f"the country of “{name}” is not a two-letter code")
    if kind is not None and kind not in KINDS:
        raise AtlasFileError(f"the category of “{name}” is not one of {', '.join(KINDS)}")
    correction = Correction(name, lat, lon, feature_of(feature), country.upper() if country else None, kind)
    return action, key, written if action == "add" else None, correction


def _read_corrections(rows: Sequence[object], article: str) -> Edits:
    placed: dict[str, Correction] = {}
    added: dict[str, Correction] = {}
    removed: set[str] = set()
    for row in rows:
        action, key, written, correction = _read_correction(row, article)
        if action == "place" and correction is not None:
            placed[key] = correction
        elif action == "add" and correction is not None and written is not None:
            added[written] = correction
        else:
            removed.add(key)
    return Edits(placed, added, frozenset(removed))


def _read_state(value: object) -> AtlasState:
    if not isinstance(value, dict):
        raise AtlasFileError("this atlas's “state” is not an object")

    def strings(key: str, most: int = 500) -> tuple[str, ...]:
        items = _list(value.get(key, []), f"state's {key}", most)
        if not all(isinstance(x, str) and len(x) <= MAX_NAME for x in items):
            raise AtlasFileError(f"this atlas's state's {key} are not names")
        return tuple(items)

    kinds = tuple(k for k in strings("kinds") if k in KINDS) if "kinds" in value else KINDS
    countries = tuple(c.upper() for c in strings("countries") if len(c) == 2 and c.isascii() and c.isalpha())
    minimum = value.get("min_mentions", 1)
    if isinstance(minimum, bool) or not isinstance(minimum, int) or not 1 <= minimum <= 1000:
        raise AtlasFileError("this atlas's least number of mentions is not a whole number from 1 to 1000")
    dates = []
    for key in ("from", "to"):
        day = value.get(key)
        if day is not None and (not isinstance(day, str) or len(day) > 40):
            raise AtlasFileError(f"this atlas's “{key}” date is not a date")
        dates.append(clean_meta(date=day).date if day else None)
    colour = value.get("colour_by", COLOUR_BY[0])
    if colour not in COLOUR_BY:
        raise AtlasFileError(f"this atlas's colouring is not one of {', '.join(COLOUR_BY)}")
    place = value.get("place")
    if place is not None and (not isinstance(place, str) or len(place) > 500):
        raise AtlasFileError("this atlas's selected place is not a place key")
    view = None
    if (shown := value.get("view")) is not None:
        if not isinstance(shown, dict):
            raise AtlasFileError("this atlas's map view is not an object")
        zoom = _number(shown.get("zoom"), "map zoom", 0, 20)
        base = shown.get("base")
        view = View(
            _number(shown.get("lat"), "map centre's latitude", -85, 85),
            _number(shown.get("lng"), "map centre's longitude", -180, 180),
            round(zoom),
            base if isinstance(base, str) and base in BASE_LAYERS else None,
        )
    # The event filter and the timeline's range came after version 2's first files: a file without
    # them shows every type and every day. Unknown types are dropped (a later taxonomy's), and a day
    # that does not read or lies outside the days events can have is no bound.
    types = tuple(dict.fromkeys(t for t in strings("event_types", len(TYPES) * 4) if t in TYPES))
    latest = dt.date.today() + dt.timedelta(days=MAX_EVENT_DAYS_AHEAD)
    days = []
    for key in ("event_from", "event_to"):
        day = value.get(key)
        if day is not None and (not isinstance(day, str) or len(day) > 40):
            raise AtlasFileError(f"this atlas's “{key}” date is not a date")
        days.append(parse_date(day, today=latest) if day else None)
    if days[0] and days[1] and days[0] > days[1]:
        days.reverse()
    return AtlasState(
        kinds, countries, strings("articles"), minimum, dates[0], dates[1], colour, place or None, view,
        types, days[0], days[1],
    )  # fmt: skip


def _read_layer(value: object, number: int) -> Layer:
    if not isinstance(value, dict):
        raise AtlasFileError(f"layer {number} of this atlas is not an object")
    name = _text(value.get("name"), f"layer {number}'s name", MAX_LABEL) or f"Layer {number}"
    features = _list(value.get("features", []), f"features of layer “{name}”", MAX_FEATURES)
    try:
        checked = tuple(check_feature(f, name) for f in features)
    except LayerError as err:
        raise AtlasFileError(str(err)) from None
    # Version 2's fields; a version-1 layer has none of them and reads as an atlas's, unfiltered.
    source = value.get("source")
    dates = []
    for key in ("from", "to"):
        day = value.get(key)
        if day is not None and (not isinstance(day, str) or len(day) > 40):
            raise AtlasFileError(f"layer “{name}”'s “{key}” date is not a date")
        dates.append(clean_meta(date=day).date if day else None)
    types = _list(value.get("types", []), f"types of layer “{name}”", 200)
    if not all(isinstance(t, str) and len(t) <= MAX_PROPERTY for t in types):
        raise AtlasFileError(f"the types of layer “{name}” are not text")
    return Layer(
        name,
        checked,
        value.get("visible", True) is not False,
        source if isinstance(source, str) and source in SOURCES else "atlas",
        dates[0],
        dates[1],
        tuple(types),
    )


def _layer_json(layer: Layer) -> dict[str, Any]:
    return {
        "name": layer.name,
        "visible": layer.visible,
        "source": layer.source,
        "from": layer.date_from.isoformat() if layer.date_from else None,
        "to": layer.date_to.isoformat() if layer.date_to else None,
        "types": list(layer.types),
        "features": list(layer.features),
    }
