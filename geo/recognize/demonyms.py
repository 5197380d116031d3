"""Demonyms: the words that name a country's people or army ("Russian forces", "Syrians fled").

An actor is not a place, so News Atlas keeps them off the map unless asked
(``Geoparser(demonyms=True)``, ``geo parse --demonyms``): LGL annotates them as their country,
GeoVirus does not. Recognition always finds them, into ``doc.spans[SPAN_KEY]`` (they never
replace an entity); ``geo.recognize.extract.mentions`` turns them into mentions only when asked, and
``geo.resolve.resolver`` places such a mention at its country (``country_of``).
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc, Span

from geo.recognize.cues import demonyms
from geo.recognize.words import Words

__all__ = ["FINDER", "LABEL", "SPAN_KEY", "country_of", "find_demonyms"]

#: Where recognition leaves the demonyms it finds: ``doc.spans[SPAN_KEY]``.
SPAN_KEY = "geo_demonyms"
#: The label and finder of a demonym's mention (spaCy's label for nationalities).
LABEL = "NORP"
FINDER = "demonym"
#: The longest demonym in tokens ("Central African", "Guinea - Bissauan").
_MAX_TOKENS = 3


def country_of(text: str) -> tuple[str, str] | None:
    """Return the ISO code and English name of the country a demonym as written names
    ("Syrians" → ("SY", "Syria")), or None when the text is no demonym in the table."""
    return demonyms().get(" ".join(text.lower().split()))


def find_demonyms(doc: Doc, taken: Iterable[int] = (), words: Words | None = None) -> list[Span]:
    """Return the demonyms of ``doc`` in text order, longest first where they overlap ("South
    Sudanese", not "Sudanese"), labelled LABEL: capitalised words of the demonym table that lie
    in no accepted place (``taken``: its token indices; "Indian Ocean", "American Samoa") and in
    no person's name ("Chris French"). ``words``: the Doc's tokens already read, when given."""
    table = demonyms()
    words = Words.of(doc) if words is None else words
    texts = words.texts
    blocked = set(taken)
    found: list[Span] = []
    i = 0
    while i < len(texts):
        match = 0
        if texts[i][:1].isupper() and i not in blocked:
            for n in range(min(_MAX_TOKENS, len(texts) - i), 0, -1):
                if blocked.intersection(range(i, i + n)) or not texts[i + n - 1][:1].isupper():
                    continue
                if words.span_text(i, i + n).lower() in table and not any(
                    t.ent_type_ == "PERSON" for t in doc[i : i + n]
                ):
                    match = n
                    break
        if match:
            found.append(Span(doc, i, i + match, label=LABEL))
            i += match
        else:
            i += 1
    return found
