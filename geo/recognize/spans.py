"""Span edges: what a proposed name keeps and what it leaves out.

A model's entity may swallow a paragraph break ("Idlib\\n\\n"), a possessive ("Saudi Arabia's"), a
determiner ("the Gaza Strip") or punctuation; ``trim`` gives the name alone.
"""

from __future__ import annotations

from spacy.tokens import Doc

from geo.recognize.cues import DETERMINERS, DIRECTIONS, POSSESSIVES

__all__ = ["trim"]

_EDGE_PUNCT = frozenset({",", ".", ";", ":", "-", "–", "—", "(", ")", '"', "“", "”", "'", "’", "‘"})


def trim(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """Return the token bounds of the name inside ``doc[start:end]``, or None when none is left.

    Leading determiners, directions in lower case ("north Arlington"), whitespace and punctuation
    go; so do trailing whitespace (paragraph breaks), punctuation and a possessive ending. A dot
    that ends an abbreviation ("D.C.") is part of its token and stays.
    """
    while start < end and (
        doc[start].is_space
        or doc[start].lower_ in DETERMINERS
        or doc[start].text in _EDGE_PUNCT
        # "north Arlington" is the north of Arlington, not North Arlington: a direction written in
        # lower case is no part of a name.
        or (doc[start].lower_ in DIRECTIONS and doc[start].text.islower() and start + 1 < end)
    ):
        start += 1
    while end > start and (
        doc[end - 1].is_space or doc[end - 1].text in _EDGE_PUNCT or doc[end - 1].lower_ in POSSESSIVES
    ):
        end -= 1
    return (start, end) if start < end else None
