"""Recognition: which spans of an article name places, in two stages the code shows plainly.

``propose`` (geo.recognize.propose) lists every span that might be a place; ``gather``
(geo.recognize.evidence) measures what a reader would use to tell; ``decide``
(geo.recognize.decide) keeps the places. ``Recognizer`` runs the three as a spaCy component.
"""

from geo.recognize.decide import Verdict, decide, verdict
from geo.recognize.evidence import Evidence, gather
from geo.recognize.propose import Proposal, propose
from geo.recognize.recognizer import Recognizer

__all__ = ["Evidence", "Proposal", "Recognizer", "Verdict", "decide", "gather", "propose", "verdict"]
