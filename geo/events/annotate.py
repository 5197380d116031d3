"""Per place mention: the event types its clause reports there, the actors named with it, and
its date. ``annotate`` is a pure function; docs/events.md is its guideline.

How a sentence is read:

1. it is cut into clauses at ``triggers.BREAKS`` ("…, while …", ";", a closing ", residents
   said") and around relative clauses (", who was born in Stockholm,"); a clause that names no
   place gives its words to the clause before it (or after, if it is first), but not to a
   relative clause, and a time counted from an earlier event ("two weeks after its recapture")
   gives them to none;
2. a clause with places on both sides of an "and" and triggers on both sides is cut there too,
   unless the "and" joins two places of one list;
3. each place takes its clause's types, with their trigger words. Before the words are read, a
   place that only says who or what something is ("born in", "a nurse from", "Rwanda-backed",
   "Sudan's army chief"), that locates another ("Goma" in "Sake, west of Goma"), or that is what
   talks or a protest are about is ``mentioned``; the weak words of a statement ("said") count
   only for the place that speaks, and witnesses speak for no government. Words denied or only
   possible ("denied sending troops", "may join the fighting") are no triggers. In a clause of
   several places each place keeps the words written for it ("a meeting in Paris" is Paris's);
   then the rules between types decide which events the clause reports there (``_resolve``). A
   place with no trigger is ``mentioned``;
4. the date is the first day its clause gives, else the first its sentence gives, else the
   publication date (geo.events.dates);
5. the actors are the ORG and NORP entities (and demonyms) of its sentence, the place itself
   left out.
"""

from __future__ import annotations

import datetime as dt
import functools
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
    relative = set()
    for match in triggers.RELATIVE.finditer(lower):
        cuts.update((match.start(), match.end()))
        relative.add(match.start())
    pieces = sorted(cuts)
    clauses = [(a, b) for a, b in itertools.pairwise(pieces) if b > a]
    # A clause without a place gives its words to the clause with a place before it (or, when
    # none is before it, to the one after it). What follows a relative clause is the main
    # clause's ("Qatar, which hosts ... in Doha, has offered to mediate"), so a relative clause
    # takes none of it; a time counted from an earlier event ("two weeks after its recapture")
    # reports nothing now, so it gives its words to none.
    placed = [any(a <= s < b for s, _ in spans) for a, b in clauses]
    merged: list[list[int]] = []
    open_to_more = False  # whether the last merged clause takes the placeless clauses after it
    waiting: int | None = None  # the start of placeless clauses before the first placed one
    for (a, b), has_place in zip(clauses, placed, strict=True):
        if has_place:
            merged.append([a if waiting is None else waiting, b])
            open_to_more = a not in relative
            waiting = None
        elif triggers.SINCE.search(lower[max(0, a - 12) : a]):
            open_to_more = False
        elif merged and open_to_more:
            merged[-1][1] = b
        elif not merged and waiting is None:
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
        if any(e == cut for _, e in spans) and any(s == a + match.end() for s, _ in spans):
            continue  # "talks in Cairo and Amman": one list of places, not two clauses
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
    others = [(s, e) for s, e in spans if lo <= s < hi and (s, e) != (start, end)]
    if _identifies(lower, lo, start, others):
        return (MENTIONED,), ()
    if triggers.FIRES.match(lower[end : end + 20]) and not re.search(r"\b(?:in|at|near)\s+$", lower[lo:start]):
        return (MENTIONED,), ()  # "Iran fired missiles", not "police in Karachi fired tear gas"
    previous = max((e for s, e in others if e <= start), default=None)
    if previous is not None and triggers.LOCATES.match(lower[previous:start]):
        return (MENTIONED,), ()  # "Sake, west of Goma": Goma only says where Sake is
    speaks = _speaks(lower, lo, start, end)
    if speaks:
        return ("diplomacy",), (speaks,)  # the place that speaks is not where what it says happened
    if triggers.OWNER.match(lower[end : end + 40]) or triggers.COMPOUND.match(lower[end : end + 20]):
        return (MENTIONED,), ()  # "Sudan's army chief flew to Cairo", "Rwanda-backed rebels": who acts
    if triggers.GOVERNED.search(lower[max(lo, start - 40) : start]):
        return (MENTIONED,), ()  # "troops loyal to the government in Tripoli": whose troops
    if triggers.TOPIC.search(lower[max(lo, start - 80, previous or 0) : start]):
        return (MENTIONED,), ()  # "talks on a ceasefire in Sudan": what the talks are about
    demand = _last(triggers.DEMANDS, lower[lo:start])
    clause = lower[lo:hi]
    for s, e in spans:  # the place names themselves are no triggers
        if lo <= s < hi:
            clause = clause[: s - lo] + " " * (e - s) + clause[e - lo :]
    if demand is not None and not _found(clause[demand : start - lo]):
        return (MENTIONED,), ()  # "demanding a safe return to Rakhine": what a protest asks for
    if others:  # each place keeps the words written for it, then the rules read what it kept
        mine = _own(_matches(clause, carried=True), clause, start - lo, [(s - lo, e - lo) for s, e in others])
        found = _resolve(mine, clause, carried=True)
    else:
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
    return _resolve(_matches(clause), clause)


@functools.lru_cache(maxsize=64)  # a clause of several places is read once, not once a place
def _matches(clause: str, *, carried: bool = False) -> _Found:
    """Return the lexicon's words in a clause, less those that report no event there; with
    ``carried``, the carried words too, even when other words are there (a clause of several
    places, where each place keeps the words written for it: "grain ships left Odesa under the
    deal agreed in Istanbul"). Callers copy what they change: the answer is shared."""
    found: _Found = {}
    for key, pattern in triggers.LEXICON.items():
        for match in pattern.finditer(clause):
            before, after = _before(clause, match.start()), clause[match.end() : match.end() + 30]
            if triggers.PURPOSE.search(before) and not triggers.COMPELLED.search(before):
                continue  # "sent troops to fight the rebels", not "forced civilians to flee"
            if triggers.NEGATED.search(before):
                continue  # "denied sending troops", "without a fight", "may soon join the fighting"
            if triggers.DEMANDED.search(before):
                continue  # "demanding a hostage deal": asked for, not done
            if key in ("fighting", "strikes") and (triggers.ESCAPED.search(before) or triggers.NEARBY.match(after)):
                continue  # "to escape the fighting", "as the fighting spread"
            if key == "fighting" and match.group(0).startswith("seiz") and _near(triggers.OBJECTS, clause, match):
                continue  # "rifles seized by soldiers": things seized, not a place
            if key == "fighting" and match.group(0).startswith("seiz") and _near(triggers.SEIZED, clause, match):
                key = "civilians"  # "gunmen seized 20 travellers": people taken, an abduction
            if key == "humanitarian" and match.group(0).startswith("fle") and triggers.ONE_PERSON.search(before):
                key = "movements"  # "as the president fled the country": one person's flight
            found.setdefault(key, []).append((match.group(0), match.start()))
    if carried:
        _add_carried(found, clause)
    return found


def _before(clause: str, at: int) -> str:
    """Return the words before ``at`` that the patterns read (the few words before a trigger), cut
    at a word's start: a regular expression anchored at the trigger need not scan the clause."""
    if at <= 120:
        return clause[:at]
    space = clause.find(" ", at - 120, at)
    return clause[space + 1 if space != -1 else at - 120 : at]


def _add_carried(found: _Found, clause: str) -> None:
    moved = [(m.group(0), m.start()) for m in triggers.CARRIED.finditer(clause)]
    moved = [(w, at) for w, at in moved if not triggers.NEGATED.search(_before(clause, at))]
    if moved:
        found.setdefault(_who_moves(clause, found), []).extend(moved)


def _resolve(found: _Found, clause: str, *, carried: bool = False) -> _Found:
    """Apply the rules between types to the words ``found`` in a clause (which of several events
    the clause reports); without ``carried`` (the carried words not read yet), read them when
    nothing else is there."""
    found = {key: list(words) for key, words in found.items()}
    if (
        "protests" in found
        and "fighting" in found
        and all(w.startswith(("clash", "storm")) for w, _ in found["fighting"])
    ):
        del found["fighting"]  # clashes with the police at a protest, a building stormed by it, are the protest's
    if "fighting" in found and "strikes" in found:
        # "fought with mortars": the weapon of a battle is no strike of its own
        weapons = [(w, at) for w, at in found["strikes"] if re.search(r"\bwith\s+(?:\w+\s+){0,2}$", clause[:at])]
        found["strikes"] = [t for t in found["strikes"] if t not in weapons]
        if not found["strikes"]:
            del found["strikes"]
    marching = "protests" in found and all(w.startswith("march") for w, _ in found["protests"])
    if marching and triggers.MILITARY.search(clause) and not triggers.PEOPLE.search(clause):
        found.setdefault("movements", []).extend(found.pop("protests"))  # an army marching
    if not found.keys() & {"strikes", "fighting"}:
        hurt = re.search(r"\bwounded\b", clause)
        if hurt and triggers.MILITARY_TARGET.search(clause) and not triggers.CIVILIAN_DEAD.search(clause):
            found["fighting"] = [(hurt.group(0), hurt.start())]  # "the soldier was wounded near Vuhledar"
    if not found.keys() & {"strikes", "fighting"}:
        killed = triggers.KILLED.search(clause)
        if killed:
            target = triggers.MILITARY_TARGET.search(clause)
            # armed men who kill anyone but soldiers kill civilians ("assailants killed a local chief")
            armed_kill = triggers.ARMED.search(clause) and re.match(r"kill|shot|murder", killed.group(0))
            dead = (
                triggers.CIVILIAN_DEAD.search(clause)
                or (triggers.ARMED.search(clause) and re.search(r"\bpeople\b", clause) and not target)
                or (armed_kill and not target)
            )
            if dead:
                found.setdefault("civilians", []).append((killed.group(0), killed.start()))
            elif target:
                found.setdefault("fighting", []).append((killed.group(0), killed.start()))
    if "fighting" in found and "movements" in found:
        # an advance or an entry that meets a battle is the battle ("pushed into Jabalia, and fighters
        # ambushed them"); a withdrawal after one is both
        found["movements"] = [(w, at) for w, at in found["movements"] if not triggers.ADVANCE.match(w)]
        if not found["movements"]:
            del found["movements"]
    if "civilians" in found and "protests" in found and re.search(r"protesters|demonstrators", clause):
        del found["civilians"]  # force against protesters is a protest event
    if (
        "civilians" in found
        and "protests" in found
        and all(re.match(r"mobs?|crowds?", w) for w, _ in found["protests"])
    ):
        del found["protests"]  # a mob attacking homes is violence against civilians, not a riot
    raids = "fighting" in found and all(w.startswith(("raid", "storm")) for w, _ in found["fighting"])
    if raids and "civilians" not in found and "strikes" not in found and triggers.CIVILIAN_DEAD.search(clause):
        # "stormed a village, killing eleven villagers": a raid on civilians is violence against them
        found["civilians"] = found.pop("fighting")
    elif raids and ("civilians" in found or (re.search(r"\bpolice\b", clause) and not triggers.ARMED.search(clause))):
        del found["fighting"]  # a raid that beats residents is against civilians; a police raid no battle
    if "protests" in found and "humanitarian" in found and all(_WHO_MOVED.match(w) for w, _ in found["humanitarian"]):
        del found["humanitarian"]  # "refugees in Cox's Bazar staged a rally": who protests
    if "humanitarian" in found and found.keys() & {"strikes", "fighting", "civilians"}:
        del found["humanitarian"]  # a toll or a wound of an attack is that attack
    if not found and not carried:
        _add_carried(found, clause)  # "crossed", "entered", "left": only when nothing more is said
    return found


def _who_moves(clause: str, found: _Found) -> str:
    """The type of a carried word: a visit when a dignitary moves, humanitarian when people or
    aid do, else a movement of forces."""
    military = triggers.MILITARY.search(clause)
    if triggers.DIGNITARY.search(clause) and not military:
        return "diplomacy"  # "the Pope arrived in Jakarta"
    if "humanitarian" in found or (triggers.PEOPLE.search(clause) and not military):
        return "humanitarian"  # "the first UN aid convoy entered northwest Syria"
    return "movements"


_WHO_MOVED = re.compile(r"refugees?|migrants|survivors|displac")


def _near(pattern: re.Pattern[str], clause: str, match: re.Match[str]) -> bool:
    """Whether ``pattern`` is written within three words of ``match`` in ``clause``."""
    window = " ".join(clause[: match.start()].split()[-3:] + clause[match.end() :].split()[:4])
    return bool(pattern.search(window))


def _last(pattern: re.Pattern[str], text: str) -> int | None:
    """Return where the last match of ``pattern`` in ``text`` ends, None when there is none."""
    ends = [m.end() for m in pattern.finditer(text)]
    return ends[-1] if ends else None


def _identifies(lower: str, lo: int, start: int, others: Sequence[tuple[int, int]]) -> bool:
    """Whether the place at ``start`` only says who or what something is ("born in", "a nurse from");
    a place listed after one that does does too ("negotiators from Baku and Stepanakert")."""
    base = max(lo, start - 60)
    if triggers.IDENTITY.search(lower[base:start]):
        return True
    who = triggers.WHO_FROM.search(lower[base:start])
    if who and not _found(lower[max(lo, base + who.start() - 30) : base + who.start()]):
        return True  # "fighters from Tigray", not "evacuated diplomats from Khartoum"
    before = [(s, e) for s, e in others if e <= start]
    if not before:
        return False
    s, e = max(before)
    return bool(triggers.LISTED.match(lower[e:start])) and _identifies(lower, lo, s, [o for o in others if o != (s, e)])


def _own(found: _Found, clause: str, start: int, others: Sequence[tuple[int, int]]) -> _Found:
    """Leave out the triggers that belong to another place of the clause: the words just before it
    ("a meeting in Paris", "the deal agreed in Istanbul", "diverted vessels around the Cape"), unless
    the two places are listed together ("struck Idlib and Aleppo")."""
    mine: _Found = {}
    for key, words in found.items():
        kept = [(w, at) for w, at in words if not _belongs_elsewhere(clause, at + len(w), start, others)]
        if kept:
            mine[key] = kept
    if mine:
        return mine
    # A place with no words of its own takes the clause's ("withdrew from Shire and other towns in
    # northern Tigray"), but not an event named as another place's ("the siege of Mariupol").
    # a movement has a start and an end, and both places take it ("arrived in Przemysl by train from Lviv")
    carried = {at for at, _ in ((m.start(), m) for m in triggers.CARRIED.finditer(clause))}
    named = {
        at
        for words in found.values()
        for w, at in words
        if at not in carried and _named_for(clause, at + len(w), others)
    }
    loose: _Found = {}
    for key, words in found.items():
        kept = [(w, at) for w, at in words if at not in named]  # "clashed" of "clashed with police in X" too
        if kept:
            loose[key] = kept
    return loose


def _named_for(clause: str, end: int, others: Sequence[tuple[int, int]]) -> bool:
    """Whether the words ending at ``end`` name an event of the place just after them ("the siege
    of Mariupol", "talks in Cairo", "clashed with police in Peshawar")."""
    following = [s for s, _ in others if s >= end]
    return bool(following) and bool(triggers.NAMED_FOR.match(clause[end : min(following)]))


def _belongs_elsewhere(clause: str, end: int, start: int, others: Sequence[tuple[int, int]]) -> bool:
    following = [(s, e) for s, e in others if s >= end]
    if not following:
        return False
    s, e = min(following)
    if end <= start < s:
        return False  # this place comes first after the words
    if not triggers.ATTACHED.match(clause[end:s]):
        return False
    # listed with this place ("Sanaa and Hodeidah"): the words are both places'
    return not triggers.LISTED.match(clause[e:start])


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
    if triggers.WITNESSES.search(lower[max(lo, start - 50) : start]):
        return None  # "residents who escaped to Monywa said": witnesses speak for no government
    after = triggers.SPOKEN_BY.match(lower[end : end + 40])
    if after:
        return after.group(0).split()[-1]
    before = triggers.SPEAKER_BEFORE.search(lower[max(lo, start - 40) : start])
    if before:
        return before.group(0).strip()
    return None
