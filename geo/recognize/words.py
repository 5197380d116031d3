"""A Doc's tokens read once into plain lists, for the recognition steps that walk every token.

spaCy makes a new Token object each time ``doc[i]`` is read or the Doc iterated, and rebuilds
``Doc.text`` (and a Span's text) from every token each time it is read: proposing name windows
and finding demonyms read the same tokens many times over (3.4 million Token objects for LGL's
588 articles, about 5% of a parse). ``Words.of(doc)`` reads each attribute once, from the Doc's
arrays where spaCy has one, and a span's text is a slice of the text read once.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.attrs import IDX, IS_ALPHA, IS_LOWER, LOWER, ORTH, SENT_START
from spacy.tokens import Doc

__all__ = ["Words", "capitalised"]


@dataclass(frozen=True)
class Words:
    """Per token of a Doc: its text, lower-case form, first character's offset, whether it
    starts a sentence (as ``Token.is_sent_start`` is true), whether it is capitalised
    (``capitalised``) and whether it is a lower-case word (``is_lower`` and ``is_alpha``)."""

    text: str
    texts: tuple[str, ...]
    lowers: tuple[str, ...]
    starts: tuple[int, ...]
    sent_start: tuple[bool, ...]
    capital: tuple[bool, ...]
    lower_word: tuple[bool, ...]

    @classmethod
    def of(cls, doc: Doc) -> Words:
        """Return the words of ``doc``."""
        strings = doc.vocab.strings
        columns = doc.to_array([ORTH, LOWER, IDX, SENT_START, IS_LOWER, IS_ALPHA]).tolist() if len(doc) else []
        texts = tuple(strings[row[0]] for row in columns)
        return cls(
            text=doc.text,
            texts=texts,
            lowers=tuple(strings[row[1]] for row in columns),
            starts=tuple(row[2] for row in columns),
            # SENT_START is 1, -1 or 0 (unknown) stored unsigned: only 1 is a start.
            sent_start=tuple(row[3] == 1 for row in columns),
            capital=tuple(capitalised(text) for text in texts),
            lower_word=tuple(bool(row[4] and row[5]) for row in columns),
        )

    def __len__(self) -> int:
        """Return the number of tokens."""
        return len(self.texts)

    def span_text(self, start: int, end: int) -> str:
        """Return the text of tokens ``start`` to ``end - 1`` (``doc[start:end].text``)."""
        return self.text[self.starts[start] : self.starts[end - 1] + len(self.texts[end - 1])]


def capitalised(text: str) -> bool:
    """Return True for a token that opens with a capital and holds a letter ("Aleppo", "U.S.")."""
    return text[:1].isupper() and any(ch.isalpha() for ch in text)
