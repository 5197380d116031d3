"""What a reader would use to tell whether a proposed span is a place, measured per proposal.

Each proposal gets one ``Evidence``: the model's label, how strong the gazetteer's entry for the
name is, its capitals and place in the sentence, and the words around it (a locative before it,
a person's title or a verb of speech, an institution after it). ``geo.recognize.decide`` weighs
them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc

from geo.core.features import Feature, Group
from geo.core.normalize import initials_of, is_dotted_initials, name_key
from geo.core.provenance import Match
from geo.core.values import Candidate
from geo.recognize.cues import (
    CALENDAR,
    DIRECTIONS,
    DISEASE_WORDS,
    INSTITUTIONS,
    LOCATIVES,
    NAMED_AFTER,
    OUTLET_BEFORE,
    OUTLET_WORDS,
    PERSON_TITLES,
    PLACE_NOUNS,
    POSSESSIVES,
    SPEECH_VERBS,
    SUBJECT_VERBS,
    TITLE_ABBREVIATIONS,
)
from geo.recognize.kind_cues import BEFORE_CHARS, groups_after, groups_before, groups_in_name
from geo.recognize.propose import PLACE_LABELS, Proposal
from geo.recognize.words import Words

__all__ = ["Evidence", "gather"]

_DATELINE_MARKS = frozenset({"—", "–", "-", "--", "---", ",", "("})


@dataclass(frozen=True)
class Evidence:
    """The features of one proposal."""

    proposal: Proposal
    #: The gazetteer's likeliest place for the name and its prior (None: the name is unknown).
    prior: float | None
    best: Candidate | None
    sentence_start: bool  # the first word of its sentence
    all_caps: bool
    dateline: bool  # "BEIRUT —", "COLUMBUS, Ohio (AP)"
    #: A one-word name that is a common word: a stop word, a month or day, an institution
    #: ("Police"), or a word the article also writes in lower case ("the superior court").
    common_word: bool
    locative: bool  # "in X", "off X", "north of X"
    person: bool  # "Mr X", "X said", "X" inside a person's full name
    institution: bool  # "X Police Department", "X and Y counties"
    disease: bool = False  # "West Nile virus", "Rift Valley fever": named after a place, no place
    #: Part of a news outlet's name ("the New York Times", "Agence France-Presse") or of a
    #: currency's ("US$"): the story's source or money, not a place of the story.
    outlet: bool = False
    #: The words after it, or its own words, name the gazetteer's place's own kind: "the Bab
    #: el-Mandeb strait" for a strait, "Hodeidah port" for a port, "Licking County" (in "the
    #: Licking County Genealogy Society") for a county.
    own_kind: bool = False
    #: Written as a first-level area's abbreviation with its stop: "S.C.", "Tenn.", "W. Va." (not
    #: "Pa", a town's own name too; nor capitals alone: "CPS" and "LLC" abbreviate areas too).
    area_abbreviation: bool = False
    #: Neither inside a longer entity that is no place nor followed by a capitalised word or a
    #: possessive: a name on its own ("Vestfold," not "Guy C." or "Mundy's Mill").
    stands_alone: bool = False
    #: Written in lower case throughout ("the meth was found"): no proper name.
    lower_case: bool = False
    #: The last word of a person's full name ("Melton Lewis Paris"): news names a person in full
    #: once, then by this word alone ("Paris had been shot").
    surname: bool = False
    #: One word opening its sentence before a finite verb: the subject ("Aleppo was shelled").
    subject: bool = False
    #: After "the", and the gazetteer's place is a river, sea, desert or range: English names
    #: these with the article ("crossed the Tigris", "in the Euphrates"), not towns.
    definite: bool = False
    #: One word before a verb of speech ("Jordan said"): a person, or a country or capital that
    #: speaks for its government; the article's other uses of the name tell which.
    speaks: bool = False

    @property
    def key(self) -> str:
        """Return the name key of the proposed span."""
        return self.proposal.key

    @property
    def model_place(self) -> bool:
        """Return True when the model labels the span itself a place (GPE, LOC, FAC)."""
        return self.proposal.label in PLACE_LABELS and self.proposal.source in {"model", "part"}

    @property
    def feature(self) -> Feature | None:
        """Return the kind of the gazetteer's likeliest place for the name."""
        return self.best.feature if self.best is not None else None

    @property
    def prominent(self) -> bool:
        """Return True for a country, continent, region or first-level area."""
        return self.best is not None and self.best.feature.is_in(Group.PROMINENT)

    @property
    def abbreviates_area(self) -> bool:
        """Return True when the gazetteer's likeliest place is a first-level area the name
        abbreviates ("Tenn.", "NSW")."""
        return self.best is not None and _abbreviates_area(self.best)


def gather(
    doc: Doc,
    proposal: Proposal,
    known: dict[str, tuple[float, Candidate]],
    lower_words: frozenset[str],
    words: Words | None = None,
) -> Evidence:
    """Return the evidence for ``proposal`` in ``doc``.

    ``known`` is the gazetteer's best entry per key; ``lower_words`` the words the article
    writes in lower case (``lower_case_words``); ``words`` the Doc's tokens already read
    (``Words.of(doc)``: an article has about a hundred proposals, each looking at the tokens
    around it), read here when not given.
    """
    w = Words.of(doc) if words is None else words
    start, end = proposal.start, proposal.end
    prior, best = known.get(proposal.key, (None, None))
    sentence_start = w.sent_start[start] or start == 0 or (start > 0 and w.space[start - 1])
    return Evidence(
        proposal=proposal,
        prior=prior,
        best=best,
        sentence_start=bool(sentence_start),
        all_caps=all(w.upper[i] or not w.alpha[i] for i in range(start, end)),
        dateline=_dateline(w, start, end, bool(sentence_start)),
        common_word=end - start == 1 and _common(w.lowers[start], w.stop[start], lower_words),
        # "into Bell's back": the preposition governs what the name owns, not the name.
        locative=_locative(w, start) and not _inside_known(w, start, end, known) and not _owns(w, end),
        person=_person(w, proposal, best),
        institution=_institution(w, proposal),
        disease=end < len(w) and w.lowers[end] in DISEASE_WORDS,
        outlet=_outlet(w, start, end),
        own_kind=best is not None
        and (
            _names_own_kind(w, end, best) or _is_own_kind(w.span_text(start, end), best) or _kind_before(w, start, best)
        ),
        area_abbreviation=best is not None and _area_abbreviation(w, start, end, best),
        stands_alone=_stands_alone(w, proposal),
        # "the meth"; "n’t" too, a contraction the model may take for a name (no letter in capitals)
        lower_case=all(w.lower_word[i] or not any(c.isupper() for c in w.texts[i]) for i in range(start, end)),
        surname=_surname(w, proposal),
        definite=best is not None
        and best.feature.is_in(Group.NATURAL)
        and start > 0
        and w.lowers[start - 1] == "the"
        and w.title[start]
        and proposal.label not in _NOT_WATERS
        and not (end < len(w) and w.texts[end] in {",", "-"}),
        subject=bool(sentence_start) and _before_verb(w, end) and end - start == 1,
        speaks=_before_speech(w, start, end) and not _locative(w, start),
    )


def _before_speech(w: Words, start: int, end: int) -> bool:
    # One word before a verb of speech: "Jordan said".
    return end - start == 1 and end < len(w) and w.lowers[end] in SPEECH_VERBS


def _before_verb(w: Words, end: int) -> bool:
    if end >= len(w):
        return False
    word = w.lowers[end]
    return word in SUBJECT_VERBS or word in SPEECH_VERBS or (len(word) > 4 and word.endswith("ed") and w.alpha[end])


def lower_case_words(doc: Doc, words: Words | None = None) -> frozenset[str]:
    """Return the words ``doc`` writes in lower case (one pass; over ``words``, its tokens
    already read, when given)."""
    words = Words.of(doc) if words is None else words
    return frozenset(text for text, lower in zip(words.texts, words.lower_word, strict=True) if lower)


def _names_own_kind(w: Words, end: int, best: Candidate) -> bool:
    if end >= len(w):
        return False
    return any(best.feature.is_in(group) for group in groups_after(w.after(end, 60)))


def _kind_before(w: Words, start: int, best: Candidate) -> bool:
    # "the island of Java", "the city of Tulsa": the words before say what kind of place it is.
    begin = w.starts[start]
    return any(best.feature.is_in(group) for group in groups_before(w.text[max(0, begin - BEFORE_CHARS) : begin]))


def _is_own_kind(name: str, best: Candidate) -> bool:
    # "Licking County", "Lake Assad": the name's own words say what kind of place it is, and the
    # gazetteer's place under that whole name is of that kind.
    return best.match is Match.EXACT and any(best.feature.is_in(group) for group in groups_in_name(name))


def _abbreviates_area(best: Candidate) -> bool:
    return best.match is Match.ABBREVIATION and best.feature is Feature.ADMIN1


def _area_abbreviation(w: Words, start: int, end: int, best: Candidate) -> bool:
    if not _abbreviates_area(best):
        return False
    written = w.span_text(start, end)
    if not written.endswith("."):
        return False
    # Initials are the area's initials: "S.C.", "D.C."; "L.A." is Los Angeles, not Louisiana.
    if is_dotted_initials(written) and name_key(written).replace(" ", "") != initials_of(best.name):
        return False
    # Where a state stands: "Tupelo, Miss.", "D-S.C.", "the S.C. Highway Patrol", "in Mass.";
    # not a title or a short word before a name ("Miss. Jones", "Ind. candidates").
    before = w.lowers[start - 1] if start > 0 else ""
    after = w.texts[end] if end < len(w) else "."
    return before in _BEFORE_AREA or _locative(w, start) or after in _AFTER_AREA


_BEFORE_AREA = frozenset({",", "-", "–", "the", "("})
_AFTER_AREA = frozenset({",", ".", ";", ":", ")", "'s", "’s", "\n"})


def _inside_known(w: Words, start: int, end: int, known: dict[str, tuple[float, Candidate]]) -> bool:
    # "East Bank", "West Columbia": a capitalised direction before a name is the first word of a
    # longer name the gazetteer knows, not a locative ("north Aleppo").
    if start == 0 or not w.title[start - 1] or w.lowers[start - 1] not in DIRECTIONS:
        return False
    return name_key(w.span_text(start - 1, end)) in known


def _outlet(w: Words, start: int, end: int) -> bool:
    after = end + 1 if end + 1 < len(w) and w.texts[end] in ("-", "–") else end  # "France-Presse"
    if after < len(w) and w.lowers[after] in OUTLET_WORDS and w.texts[after][:1].isupper():
        return True
    if w.texts[end - 1].endswith("$"):
        return True  # "US$10,000" (not "pay Hall County $2 million")
    return start >= 2 and (w.lowers[start - 2], w.lowers[start - 1]) in OUTLET_BEFORE


def _stands_alone(w: Words, proposal: Proposal) -> bool:
    host, end = proposal.host, proposal.end
    if host is not None and host.label_ not in PLACE_LABELS and not proposal.whole:
        return False
    if end == len(w):
        return True
    after = w.lowers[end]
    return not (w.texts[end][:1].isupper() or after in POSSESSIVES or after in NAMED_AFTER)


def _common(word: str, stop: bool, lower_words: frozenset[str]) -> bool:
    return stop or word in CALENDAR or word in INSTITUTIONS or word in DIRECTIONS or word in lower_words


def _previous_word(w: Words, start: int, skip_determiner: bool = True) -> int | None:
    i = start - 1
    if skip_determiner and i >= 0 and w.lowers[i] == "the":
        i -= 1
    return i if i >= 0 and not w.space[i] else None


def _locative(w: Words, start: int) -> bool:
    i = _previous_word(w, start)
    if i is None:
        return False
    word = w.lowers[i]
    if word in LOCATIVES or word in DIRECTIONS:  # "in Idlib", "north Aleppo"
        return True
    if word == "of":  # "north of X", "the outskirts of X"; not "a friend of X"
        j = _previous_word(w, i)
        # "Stephen Davis, 41, of Chiefland": where a person named in the news lives.
        return j is not None and (w.lowers[j] in PLACE_NOUNS or w.texts[j] == ",")
    return False


def _person(w: Words, proposal: Proposal, best: Candidate | None = None) -> bool:
    start, end = proposal.start, proposal.end
    i = _previous_word(w, start, skip_determiner=False)
    if i is not None and i > 0 and w.texts[i] == "." and w.lowers[i - 1] in TITLE_ABBREVIATIONS:
        i -= 1  # "Lt. Brent Wheat": the tokenizer may split a short title from its stop
    if i is not None and w.lowers[i].rstrip(".") in PERSON_TITLES:
        return True
    if _after_middle_initial(w, start):
        return True
    if _before_speech(w, start, end):
        # "Jordan said" in local news is most often a person; "Beijing said", "Niger says" a
        # government (a country or a capital speaks for it; the article's people tell otherwise).
        if end + 1 < len(w) and w.lowers[end + 1] in _PERSONAL:
            return True  # "Jordan said he would return": a country says "it"
        # A state or province speaks too where the model itself takes it for a place ("Missouri
        # and Illinois said"; not "the Centre asked").
        speaker = best is not None and (
            best.feature.is_in(Group.MAJOR)
            or best.feature is Feature.COUNTRY
            or (best.feature.is_in(Group.PROMINENT) and proposal.label in PLACE_LABELS)
        )
        # Not a party or a firm that holds the name: "United Russia said".
        named = proposal.host is not None and not proposal.whole and proposal.host.label_ not in PLACE_LABELS
        return not _locative(w, start) and not (speaker and not named)
    host = proposal.host
    if host is not None and host.label_ == "PERSON" and not proposal.whole:
        # Part of a person's full name ("Tex Hill", "Jordan Henderson"); not a place before an
        # office ("Alexandria Police") or after a name ("Sachs of Alexandria").
        if _after_name_word(w, proposal):
            return True
        if end < host.end and w.alpha[end] and w.title[end] and w.lowers[end] not in INSTITUTIONS:
            return True
    return False


def _owns(w: Words, end: int) -> bool:
    return end < len(w) and w.lowers[end] in POSSESSIVES


def _surname(w: Words, proposal: Proposal) -> bool:
    host, start = proposal.host, proposal.start
    if _after_middle_initial(w, start):
        return True
    return host is not None and host.label_ == "PERSON" and proposal.end == host.end and _after_name_word(w, proposal)


def _after_name_word(w: Words, proposal: Proposal) -> bool:
    # After a capitalised word of the model's entity that holds it: "Tex Hill", "Lewis Paris".
    host, start = proposal.host, proposal.start
    return host is not None and start > host.start and w.alpha[start - 1] and w.title[start - 1]


def _after_middle_initial(w: Words, start: int) -> bool:
    # "Tyrise M. Bell": a given name and a middle initial come before a surname, which the model
    # may still call a place.
    return (
        start >= 2
        and _INITIAL.fullmatch(w.texts[start - 1]) is not None
        and w.alpha[start - 2]
        and w.title[start - 2]
        and not w.sent_start[start - 1]
    )


_INITIAL = re.compile(r"[A-Z]\.")
#: The model's labels that no river or sea takes: "the Republican" is a party's man.
_NOT_WATERS = frozenset({"NORP", "LANGUAGE", "PERSON", "WORK_OF_ART", "EVENT", "PRODUCT", "LAW"})
#: Pronouns of a person, right after a verb of speech.
_PERSONAL = frozenset({"he", "she", "his", "her", "him"})


def _institution(w: Words, proposal: Proposal) -> bool:
    end, host = proposal.end, proposal.host
    opens = host is None or host.start == proposal.start or w.lowers[host.start] == "the"
    if opens and end < len(w) and w.lowers[end] in INSTITUTIONS:
        return True  # "Mansfield Police Department", not "Clarke County Superior Court"
    if proposal.source == "part" and host is not None and host.end < len(w):
        return w.lowers[host.end] in INSTITUTIONS  # "Jackson and Barrow counties"
    return False


def _dateline(w: Words, start: int, end: int, sentence_start: bool) -> bool:
    """Return True for an all-capitals name opening a sentence and followed by a dash or comma."""
    if not sentence_start or end >= len(w):
        return False
    if not all(w.upper[i] or w.lowers[i] in {"of", "-"} for i in range(start, end)):
        return False
    return w.texts[end] in _DATELINE_MARKS and len(w.span_text(start, end)) > 3
