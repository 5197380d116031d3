"""Per place mention: the event types its clause reports there, the actors named with it, and
its date. ``annotate`` is a pure function; docs/events.md is its guideline.

How a sentence is read:

1. it is cut into clauses at ``triggers.BREAKS`` ("…, while …", ";") and around relative
   clauses (", who was born in Stockholm,"); a clause that names no place gives its words to
   the clause before it (or after, if it is first);
2. a clause with places on both sides of an "and" and triggers on both sides is cut there too;
3. each place takes its clause's types, with their trigger words; a place written after an
   identity phrase ("born in", "based in") is ``mentioned``; the weak words of a statement
   ("said") count only for the place that speaks; a clause with no trigger is ``mentioned``;
4. the date is the first day its clause gives, else the first its sentence gives, else the
   publication date (geo.events.dates);
5. the actors are the ORG and NORP entities (and demonyms) of its sentence, the place itself
   left out.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from geo.core.values import Entity, Mention
from geo.events import triggers
from geo.events.dates import find_date
from geo.events.taxonomy import MENTIONED, TYPES
from geo.parse.parsed import ParseResult

__all__ = ["ACTOR_LABELS", "Events", "MentionEvents", "annotate", "annotate_sentence", "events_of"]

#: The model's labels read as actors (organisations, armed groups, nationalities).
ACTOR_LABELS = frozenset({"ORG", "NORP"})


@dataclass(frozen=True)
class MentionEvents:
    """What one place mention's sentence reports there: ``types`` (keys of
    geo.events.taxonomy, ``("mentioned",)`` when nothing), the ``triggers`` that decided them (as
    written), the ``actors`` named with it, its ``date``, the words that gave it (``date_text``,
    None when it is the publication date) and ``date_source``: "text", "published" or None."""

    types: tuple[str, ...]
    triggers: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    date: dt.date | None = None
    date_text: str | None = None

    @property
    def date_source(self) -> str | None:
        """ "text" when the sentence gave the day, "published" when it is the article's date."""
        if self.date is None:
            return None
        return "text" if self.date_text else "published"

    @property
    def happened(self) -> bool:
        """Whether the sentence reports anything at the place (not only ``mentioned``)."""
        return self.types != (MENTIONED,)

    def as_dict(self) -> dict:
        """Return the events as JSON-ready fields (the outputs' keys)."""
        return {
            "events": list(self.types),
            "triggers": list(self.triggers),
            "actors": list(self.actors),
            "event_date": self.date.isoformat() if self.date else None,
            "event_date_source": self.date_source,
            "event_date_text": self.date_text,
        }


NOTHING = MentionEvents((MENTIONED,))
#: The events of each mention of one or more articles.
Events = dict[Mention, MentionEvents]


def events_of(text: str, result: ParseResult, published: dt.date | None = None) -> Events:
    """Return the events of each place mention of a parse of ``text`` (an article published on
    ``published``), its actors from the entities the parse kept."""
    mentions = [item.mention for item in result.mentions]
    return dict(zip(mentions, annotate(text, mentions, published, result.entities), strict=True))


def annotate(
    text: str, mentions: Sequence[Mention], published: dt.date | None = None, entities: Sequence[Entity] = ()
) -> list[MentionEvents]:
    """Return the events of each of ``mentions`` (in their order) in ``text``, an article
    published on ``published``, with ``entities`` the model's other entities (for the actors)."""
    by_sentence: dict[tuple[int, int], list[int]] = {}
    for index, mention in enumerate(mentions):
        by_sentence.setdefault((mention.sent_start, mention.sent_end), []).append(index)
    actors = sorted((e for e in entities if e.label in ACTOR_LABELS), key=lambda e: e.start)
    out: list[MentionEvents] = [NOTHING] * len(mentions)
    for (start, end), indices in by_sentence.items():
        sentence = text[start:end]
        spans = [(mentions[i].start - start, mentions[i].end - start) for i in indices]
        named = [e for e in actors if start <= e.start and e.end <= end]
        found = annotate_sentence(sentence, spans, published)
        for i, events in zip(indices, found, strict=True):
            mention = mentions[i]
            who = [e.text for e in named if e.end <= mention.start or e.start >= mention.end]
            who = [w for w in who if w != mention.text]
            out[i] = MentionEvents(
                events.types, events.triggers, tuple(dict.fromkeys(who)), events.date, events.date_text
            )
    return out


def annotate_sentence(
    sentence: str, spans: Sequence[tuple[int, int]], published: dt.date | None
) -> list[MentionEvents]:
    """Return the events (without actors) of the places at ``spans`` (offsets into ``sentence``)."""
    lower = sentence.lower()
    clauses = _clauses(lower, spans)
    sentence_date = find_date(sentence, published)
    out = []
    for start, end in spans:
        lo, hi = next(((a, b) for a, b in clauses if a <= start < b), (0, len(sentence)))
        types, words = _types(lower, lo, hi, start, end, spans)
        given = find_date(sentence[lo:hi], published) or sentence_date
        date = given.day if given else published
        out.append(MentionEvents(types, words, (), date, given.text if given else None))
    return out


def _clauses(lower: str, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Return the (start, end) of each clause of a lower-cased sentence, every character in one."""
    cuts = {0, len(lower)}
    for match in triggers.BREAKS.finditer(lower):
        cuts.add(match.start())
    for match in triggers.RELATIVE.finditer(lower):
        cuts.update((match.start(), match.end()))
    pieces = sorted(cuts)
    clauses = [(a, b) for a, b in itertools.pairwise(pieces) if b > a]
    # A clause without a place gives its words to the clause with a place before it (or, when
    # none is before it, to the one after it).
    placed = [any(a <= s < b for s, _ in spans) for a, b in clauses]
    merged: list[list[int]] = []
    waiting: int | None = None  # the start of placeless clauses before the first placed one
    for (a, b), has_place in zip(clauses, placed, strict=True):
        if has_place:
            merged.append([a if waiting is None else waiting, b])
            waiting = None
        elif merged:
            merged[-1][1] = b
        elif waiting is None:
            waiting = a
    if not merged:
        return [(0, len(lower))]
    out: list[tuple[int, int]] = []
    for a, b in merged:
        out.extend(_split_at_and(lower, a, b, spans))
    return out


def _split_at_and(lower: str, a: int, b: int, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Cut a clause at an " and " with a place and a trigger on each side."""
    for match in re.finditer(r"\s(?:and|, and)\s", lower[a:b]):
        cut = a + match.start()
        left, right = (a, cut), (cut, b)
        if all(any(lo <= s < hi for s, _ in spans) and _has_trigger(lower[lo:hi]) for lo, hi in (left, right)):
            return [left, *_split_at_and(lower, cut + 1, b, spans)]
    return [(a, b)]


def _has_trigger(clause: str) -> bool:
    return any(p.search(clause) for p in triggers.LEXICON.values()) or bool(triggers.CARRIED.search(clause))


_Found = dict[str, list[tuple[str, int]]]  # type → (trigger as written, where in the clause)


def _types(
    lower: str, lo: int, hi: int, start: int, end: int, spans: Sequence[tuple[int, int]]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return the types, and their trigger words, of the place at ``start:end`` in its clause."""
    if triggers.IDENTITY.search(lower[max(lo, start - 60) : start]):
        return (MENTIONED,), ()
    if triggers.FIRES.match(lower[end : end + 20]):
        return (MENTIONED,), ()
    others = [(s, e) for s, e in spans if lo <= s < hi and (s, e) != (start, end)]
    previous = max((e for s, e in others if e <= start), default=None)
    if previous is not None and triggers.LOCATES.match(lower[previous:start]):
        return (MENTIONED,), ()  # "Sake, west of Goma": Goma only says where Sake is
    speaks = _speaks(lower, lo, start, end)
    if speaks:
        return ("diplomacy",), (speaks,)  # the place that speaks is not where what it says happened
    clause = lower[lo:hi]
    for s, e in spans:  # the place names themselves are no triggers
        if lo <= s < hi:
            clause = clause[: s - lo] + " " * (e - s) + clause[e - lo :]
    found = _found(clause)
    if not found:
        return (MENTIONED,), ()
    if others and len(found) > 1:
        found = _nearest(found, start - lo, end - lo)
    types = tuple(key for key in TYPES if key in found)
    words = tuple(dict.fromkeys(w for key in types for w, _ in found[key]))
    return types, words


def _found(clause: str) -> _Found:
    """Return the triggers of each type in a clause (its place names blanked)."""
    found: _Found = {}
    for key, pattern in triggers.LEXICON.items():
        for match in pattern.finditer(clause):
            before, after = clause[: match.start()], clause[match.end() :]
            if triggers.PURPOSE.search(before):
                continue  # "sent troops to fight the rebels"
            if key in ("fighting", "strikes") and (triggers.ESCAPED.search(before) or triggers.NEARBY.match(after)):
                continue  # "to escape the fighting", "as the fighting spread"
            found.setdefault(key, []).append((match.group(0), match.start()))
    if "protests" in found and "fighting" in found and all(w.startswith("clash") for w, _ in found["fighting"]):
        del found["fighting"]  # clashes with the police at a protest are the protest's
    marching = "protests" in found and all(w.startswith("march") for w, _ in found["protests"])
    if marching and triggers.MILITARY.search(clause) and not triggers.PEOPLE.search(clause):
        found.setdefault("movements", []).extend(found.pop("protests"))  # an army marching
    if not found.keys() & {"strikes", "fighting"}:
        killed = triggers.KILLED.search(clause)
        if killed:
            dead = triggers.CIVILIAN_DEAD.search(clause)
            target = triggers.MILITARY_TARGET.search(clause)
            if dead:
                found.setdefault("civilians", []).append((killed.group(0), killed.start()))
            elif target:
                found.setdefault("fighting", []).append((killed.group(0), killed.start()))
    if "civilians" in found and "protests" in found and re.search(r"protesters|demonstrators", clause):
        del found["civilians"]  # force against protesters is a protest event
    if "humanitarian" in found and found.keys() & {"strikes", "fighting", "civilians"}:
        del found["humanitarian"]  # a toll or a wound of an attack is that attack
    if not found:
        carried = [(m.group(0), m.start()) for m in triggers.CARRIED.finditer(clause)]
        if carried:  # "crossed", "entered", "left": only when nothing more is said
            people = triggers.PEOPLE.search(clause) and not triggers.MILITARY.search(clause)
            found["humanitarian" if people else "movements"] = carried
    return found


def _nearest(found: _Found, start: int, end: int) -> _Found:
    """Keep the types whose trigger stands nearest the place (a clause naming two places and two
    kinds of event: "withdrew from Ras al-Ain under a deal brokered by Washington")."""

    def distance(at: int, word: str) -> int:
        return start - (at + len(word)) if at < start else at - end

    gaps = {key: min(distance(at, w) for w, at in words) for key, words in found.items()}
    best = min(gaps.values())
    return {key: words for key, words in found.items() if gaps[key] == best}


def _speaks(lower: str, lo: int, start: int, end: int) -> str | None:
    """Return the statement word when the place at ``start:end`` is the one that speaks."""
    after = triggers.SPOKEN_BY.match(lower[end : end + 40])
    if after:
        return after.group(0).split()[-1]
    before = triggers.SPEAKER_BEFORE.search(lower[max(lo, start - 40) : start])
    if before:
        return before.group(0).strip()
    return None
