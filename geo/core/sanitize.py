"""Text made safe to work on and to show: bounded work for the model, no invisible controls on screen.

``for_model`` returns the text the model reads, with a map from its offsets back to the
article's, so that ``article[start:end]`` is always the mention as written. It changes only what
would make the model slow or blind:

- a long run of punctuation or symbols without spaces (20,000 "!"): spaCy's tokenizer strips
  prefixes and suffixes one character at a time, copying the rest each time, so such a run costs
  time quadratic in its length (42 s for 20,000 "!"). The run keeps its first character and the
  rest become spaces (the same length), which the tokenizer passes in one step;
- invisible format characters (bidirectional overrides, zero-width spaces, the byte order mark)
  are removed, so that they neither hide a name from the model nor split one in two (a space in
  their place would: the small model misses "Aleppo" after two spaces).

``visible`` removes the invisible controls from a name before it is shown: a right-to-left
override in "written as" could otherwise make one name look like another.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass

__all__ = ["INVISIBLE", "MIN_RUN", "ModelText", "for_model", "visible"]

#: Shortest run of punctuation or symbols that is collapsed ("--------" in a rule, "!!!!!!!!").
MIN_RUN = 8
#: Characters that change how text is shown without being seen: bidirectional embeddings,
#: overrides, isolates and marks; zero-width space and word joiner; the byte order mark.
INVISIBLE = frozenset(
    "\u061c\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
)
_RUN = re.compile(r"(?:[^\w\s]|_){" + str(MIN_RUN) + ",}")
_INVISIBLE = re.compile("[" + "".join(sorted(INVISIBLE)) + "]")
#: Joiners that some scripts need inside words (Persian, Indic): kept when a name is shown.
_JOINERS = frozenset("\u200c\u200d")


def _collapse(match: re.Match[str]) -> str:
    run = match.group()
    return run[0] + " " * (len(run) - 1)


@dataclass(frozen=True)
class ModelText:
    """The text the model reads, and where the characters removed from the article stood."""

    text: str
    #: For each character removed, the offset in ``text`` it stood before, in order.
    removed_at: tuple[int, ...] = ()

    def start(self, offset: int) -> int:
        """Return the article's offset of the character at ``offset`` in ``text``."""
        return offset + bisect.bisect_right(self.removed_at, offset) if self.removed_at else offset

    def end(self, offset: int) -> int:
        """Return the article's offset of an end ``offset`` in ``text`` (exclusive: what was
        removed right after it is left out)."""
        return offset + bisect.bisect_left(self.removed_at, offset) if self.removed_at else offset


def for_model(text: str) -> ModelText:
    """Return ``text`` as the model should read it: long runs of punctuation or symbols collapsed
    (same length), invisible controls removed, with the map back to ``text``'s offsets."""
    removed: list[int] = []
    if _INVISIBLE.search(text):
        kept: list[str] = []
        for index, ch in enumerate(text):
            if ch in INVISIBLE:
                removed.append(index - len(removed))
            else:
                kept.append(ch)
        text = "".join(kept)
    return ModelText(_RUN.sub(_collapse, text), tuple(removed))


def visible(text: str) -> str:
    """Return ``text`` without invisible format characters (bidirectional controls, zero-width
    spaces, soft hyphens and the like), the joiners that scripts need kept."""
    if text.isascii():
        return text
    return "".join(ch for ch in text if ch in _JOINERS or unicodedata.category(ch) != "Cf")
