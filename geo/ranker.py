"""The resolver's ranker: a weighted sum of what is known for and against a candidate.

``Features`` names what the resolver measures for each candidate (geo.resolve.features);
``Ranker`` holds one weight per feature and scores a candidate as their weighted sum. The weights
News Atlas ships are in ``geo/data/ranker.json`` (hand-set on the tune splits);
``python -m geo.eval.train ... --output PATH`` learns others, and ``Ranker.load(PATH)`` reads them
for a ``Geoparser(ranker=...)``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from geo.errors import GeoError

__all__ = ["DEFAULT_PATH", "LEARNABLE", "Features", "Ranker"]

#: The weights News Atlas ships.
DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "ranker.json"


class Features(NamedTuple):
    """What the resolver knows for and against one candidate (see geo.resolve.features)."""

    prior: float  # how likely the name means it before context (log10 of population + kind bonus)
    country_share: float  # the share of the article's confident places in its country
    admin1_in_play: float  # 1 when the article names its first-level area
    area_cue: float  # 1 for an area when the text says "X province", "X County"
    town_cue: float  # 1 for a town when the text says "the city of X", "the port of X"
    qualifier: float  # 1 when it lies in the area written after the name ("Paris, Texas")
    closeness: float  # 1 at the article's other places, 0 from PROXIMITY_KM on
    is_country: float
    is_admin1: float
    is_admin2: float
    is_region: float
    is_landmark: float
    is_airfield: float
    class_cue: float  # 1 when a phrase asks for its kind: "X port", "the Red Sea", "X air base"
    major_city: float  # 1 for a capital or world city when the article leans to no other country


#: The features whose weights training learns: the evidence, not a preference for a kind of place
#: (LGL's local US news would otherwise teach "New York" to mean the state in world news too).
LEARNABLE: frozenset[str] = frozenset(
    {"prior", "country_share", "admin1_in_play", "area_cue", "town_cue", "qualifier", "closeness", "class_cue"}
)


@dataclass(frozen=True)
class Ranker:
    """One weight per feature; a candidate's score is the weighted sum of its features."""

    weights: Features
    #: Where the weights came from (for the README and the eval report).
    description: str = ""

    @classmethod
    def load(cls, path: Path | None = None) -> Ranker:
        """Return the ranker stored at ``path`` (default: the shipped weights); raise GeoError if
        the file is missing or malformed. Features the file leaves out weigh 0."""
        path = Path(path) if path is not None else DEFAULT_PATH
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls.from_mapping(data["weights"], description=str(data.get("trained_on", "")))
        except (OSError, ValueError, KeyError, TypeError) as err:
            raise GeoError(f"cannot read ranker weights from {path.name}: {err}") from err

    @classmethod
    def from_mapping(cls, weights: Mapping[str, float], *, description: str = "") -> Ranker:
        """Return a ranker with the named weights (unknown names are an error; missing ones 0)."""
        unknown = set(weights) - set(Features._fields)
        if unknown:
            raise ValueError(f"unknown ranker features: {', '.join(sorted(unknown))}")
        return cls(Features(*(float(weights.get(name, 0.0)) for name in Features._fields)), description)

    def score(self, features: Features) -> float:
        """Return a candidate's score (higher is likelier)."""
        return sum(w * v for w, v in zip(self.weights, features, strict=True))

    def save(self, path: Path, **about: object) -> None:
        """Write the weights to ``path`` as JSON (with ``about``: what they were trained on)."""
        record = {**about, "weights": {name: round(w, 4) for name, w in self.weights._asdict().items()}}
        Path(path).write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
