"""The recognition component: propose, gather evidence, decide, and set the Doc's entities."""

from __future__ import annotations

import logging

from spacy.tokens import Doc, Span

from geo.core.values import Candidate
from geo.gazetteer import Gazetteer
from geo.recognize.decide import decide
from geo.recognize.demonyms import SPAN_KEY, find_demonyms
from geo.recognize.evidence import Evidence, gather, lower_case_words
from geo.recognize.kind_cues import AREA_NAME_WORDS, asks_for_areas
from geo.recognize.propose import PLACE_LABELS, Proposal, propose
from geo.recognize.words import Words

__all__ = ["Recognizer"]

log = logging.getLogger(__name__)


class Recognizer:
    """Find the places a Doc names (Doc -> Doc): its entities become the accepted places (labelled
    GPE, LOC or FAC) and the model's other entities that overlap none of them.

    A span the model labelled a place keeps its label and finder (``ent_id_``: "landmarks" for
    the landmark table); one recognised otherwise gets the label of its gazetteer entry's kind
    and the finder "gazetteer".

    Demonyms ("Russian forces") outside the accepted places are left in ``doc.spans[SPAN_KEY]``
    (geo.recognize.demonyms), for a caller that wants them mapped to their country.
    """

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer

    def __call__(self, doc: Doc) -> Doc:
        words = Words.of(doc)  # the tokens read once for every step that walks them all
        proposals = propose(doc, words)
        if not proposals:
            doc.spans[SPAN_KEY] = []
            return doc
        known = self.gazetteer.best_priors(p.key for p in proposals)
        known.update(self._listed_areas(words, proposals, known))
        lower_words = lower_case_words(doc, words)
        evidence = [gather(doc, p, known, lower_words, words) for p in proposals]
        places = [_span(doc, e) for e in decide(evidence)]
        taken = {i for span in places for i in range(span.start, span.end)}
        others = [
            ent
            for ent in doc.ents
            if ent.label_ not in PLACE_LABELS and not taken.intersection(range(ent.start, ent.end))
        ]
        doc.ents = sorted(places + others, key=lambda span: span.start)
        doc.spans[SPAN_KEY] = find_demonyms(doc, taken, words)
        return doc

    def _listed_areas(
        self, words: Words, proposals: list[Proposal], known: dict[str, tuple[float, Candidate]]
    ) -> dict[str, tuple[float, Candidate]]:
        """Return, for the names of a list of counties or parishes the gazetteer knows only with
        their area word ("Kittson and Kanabec counties": "Kittson County"), that area as their
        entry. Only names the gazetteer does not know on their own are looked up again."""
        listed = {p.key for p in proposals if p.key not in known and asks_for_areas(words.after(p.end, 120))}
        if not listed:
            return {}
        areas = self.gazetteer.best_priors(key + word for key in listed for word in AREA_NAME_WORDS)
        return {key: areas[key + word] for key in listed for word in AREA_NAME_WORDS if key + word in areas}


def _span(doc: Doc, e: Evidence) -> Span:
    p = e.proposal
    host = p.host
    if host is not None and host.label_ in PLACE_LABELS and p.source in {"model", "part"}:
        return Span(doc, p.start, p.end, label=host.label_, span_id=host.ent_id_ or "ner")
    label = "GPE"
    if e.best is not None:
        label = e.best.feature.info().label or ("FAC" if e.best.kind_hint else "GPE")
    return Span(doc, p.start, p.end, label=label, span_id="gazetteer")
