"""Recognition: which spans of an article name places, in two stages the code shows plainly.

``propose`` (geo.recognize.propose) lists every span that might be a place; ``gather``
(geo.recognize.evidence) measures what a reader would use to tell; ``decide``
(geo.recognize.decide) keeps the places. ``Recognizer`` runs the three as a spaCy component, and
``extract`` loads the model and turns a parsed Doc into mentions. The phrase and word tables
(``cues``, ``kind_cues``, ``demonyms``) are light: resolution and categories read them without
loading spaCy, so the names below load when first asked for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from geo.core.lazy import exports

if TYPE_CHECKING:
    from geo.recognize.decide import Verdict, verdict
    from geo.recognize.evidence import Evidence, gather
    from geo.recognize.propose import Proposal
    from geo.recognize.recognizer import Recognizer

__getattr__ = exports(
    __name__,
    {
        "Verdict": "decide",
        "verdict": "decide",
        "Evidence": "evidence",
        "gather": "evidence",
        "Proposal": "propose",
        "Recognizer": "recognizer",
    },
)
# Not ``decide`` and ``propose``: those names are the stages' modules (geo.recognize.decide.decide).
__all__ = ["Evidence", "Proposal", "Recognizer", "Verdict", "gather", "verdict"]
