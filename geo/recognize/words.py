"""A Doc's tokens read once into plain lists, for the recognition steps that walk every token.

spaCy makes a new Token object each time ``doc[i]`` is read or the Doc iterated, and rebuilds
``Doc.text`` (and a Span's text) from every token each time it is read: proposing name windows
and finding demonyms read the same tokens many times over (3.4 million Token objects for LGL's
588 articles, about 5% of a parse). ``Words.of(doc)`` reads each attribute once, from the Doc's
arrays where spaCy has one, and a span's text is a slice of the text read once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from spacy.attrs import IDX, IS_ALPHA, IS_LOWER, IS_SPACE, IS_STOP, IS_TITLE, IS_UPPER, LOWER, ORTH, SENT_START, SPACY
from spacy.tokens import Doc

__all__ = ["Words", "capitalised"]


@dataclass(frozen=True)
class Words:
    """Per token of a Doc: its text, lower-case form, first character's offset, whether it
    starts a sentence (as ``Token.is_sent_start`` is true), whether it is capitalised
    (``capitalised``) and whether it is a lower-case word (``is_lower`` and ``is_alpha``)."""

    text: str
    texts: Sequence[str]
    lowers: Sequence[str]
    starts: Sequence[int]
    sent_start: Sequence[bool]
    capital: Sequence[bool]
    lower_word: Sequence[bool]
    space: Sequence[bool]  # Token.is_space
    upper: Sequence[bool]  # Token.is_upper
    alpha: Sequence[bool]  # Token.is_alpha
    title: Sequence[bool]  # Token.is_title
    stop: Sequence[bool]  # Token.is_stop

    @classmethod
    def of(cls, doc: Doc) -> Words:
        """Return the words of ``doc``."""
        if not len(doc):
            return cls("", (), (), (), (), (), (), (), (), (), (), ())
        strings = doc.vocab.strings
        columns = [ORTH, LOWER, IDX, SENT_START, IS_LOWER, IS_ALPHA, SPACY, IS_SPACE, IS_UPPER, IS_TITLE, IS_STOP]
        orth, lower, idx, sent, is_lower, is_alpha, space, is_space, is_upper, is_title, is_stop = doc.to_array(
            columns
        ).T.tolist()
        texts = [strings[h] for h in orth]
        return cls(
            # Doc.text is the tokens and their trailing spaces; read so, no Token is made.
            text="".join([t + " " if s else t for t, s in zip(texts, space, strict=True)]),
            texts=texts,
            lowers=[strings[h] for h in lower],
            starts=idx,
            # SENT_START is 1, -1 or 0 (unknown) stored unsigned: only 1 is a start.
            sent_start=[s == 1 for s in sent],
            capital=[t[:1].isupper() and any(map(str.isalpha, t)) for t in texts],
            lower_word=[bool(a and b) for a, b in zip(is_lower, is_alpha, strict=True)],
            space=[bool(v) for v in is_space],
            upper=[bool(v) for v in is_upper],
            alpha=[bool(v) for v in is_alpha],
            title=[bool(v) for v in is_title],
            stop=[bool(v) for v in is_stop],
        )

    def __len__(self) -> int:
        """Return the number of tokens."""
        return len(self.texts)

    def after(self, end: int, width: int) -> str:
        """Return the ``width`` characters after token ``end - 1`` (a slice of the text read
        once: spaCy's ``Doc.text`` joins every token again on each read)."""
        start = self.starts[end - 1] + len(self.texts[end - 1])
        return self.text[start : start + width]

    def span_text(self, start: int, end: int) -> str:
        """Return the text of tokens ``start`` to ``end - 1`` (``doc[start:end].text``)."""
        return self.text[self.starts[start] : self.starts[end - 1] + len(self.texts[end - 1])]


def capitalised(text: str) -> bool:
    """Return True for a token that opens with a capital and holds a letter ("Aleppo", "U.S.")."""
    return text[:1].isupper() and any(map(str.isalpha, text))
