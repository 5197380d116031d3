"""The ceiling of resolution: could the gazetteer have placed each gold toponym at all?

A recognised toponym placed more than 161 km off is either a *gap* (no candidate the resolver
saw lies within 161 km of the gold point: no ranking could fix it) or a *ranking* error (one
did, and another was chosen). ``ceiling`` measures the share of gold toponyms with such a
candidate, over the recognised ones (the best A@161 any ranking could reach) and over all of
them (the best end to end, were recognition perfect); ``error_breakdown`` sorts the errors by
gap or ranking and by the kinds of place (feature codes) of the right and the chosen candidate.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from geo.core.geometry import great_circle_km
from geo.eval.corpora import GoldDoc, GoldToponym
from geo.eval.scoring import ACCURACY_KM, Predicted

__all__ = ["Ceiling", "ErrorBreakdown", "Option", "ceiling", "error_breakdown"]

#: One place a name may mean: latitude, longitude and its feature code ("PPL", "ADM1", ...).
Option = tuple[float, float, str]
#: The gazetteer's candidates for a name as written (for gold toponyms that were not recognised).
Lookup = Callable[[str], Sequence[Option]]

#: How many of the commonest classes of error the breakdown keeps.
TOP = 12


@dataclass(frozen=True)
class Ceiling:
    """Shares of gold toponyms (with coordinates) for which some candidate lies within 161 km."""

    recognised: int  # recognised gold toponyms
    recognised_reachable: int  # ... of which a candidate lies within 161 km
    gold: int  # all gold toponyms with coordinates
    gold_reachable: int  # ... of which a candidate (of the recognised name, or of the gold text) does

    @property
    def recognised_share(self) -> float:
        """Return the best A@161 over recognised toponyms any ranking of these candidates reaches."""
        return self.recognised_reachable / self.recognised if self.recognised else 0.0

    @property
    def gold_share(self) -> float:
        """Return the share of all gold toponyms the gazetteer could place within 161 km."""
        return self.gold_reachable / self.gold if self.gold else 0.0


@dataclass(frozen=True)
class ErrorBreakdown:
    """The recognised toponyms placed more than 161 km off (or not placed), by cause and kind."""

    errors: int
    gap: int  # no candidate within 161 km: the gazetteer lacks the place (or the name for it)
    ranking: int  # a candidate within 161 km was there and another was chosen
    #: "right kind -> chosen kind" for ranking errors ("PPL -> ADM1"; "unplaced" when none chosen).
    ranking_by_kind: tuple[tuple[str, int], ...]
    #: The chosen kind for gap errors (what was placed instead of the missing place).
    gap_by_kind: tuple[tuple[str, int], ...]
    #: The names most often wrong by ranking, with their count.
    ranking_names: tuple[tuple[str, int], ...]
    #: The names most often recognised and never placed (no candidate at all), as written, with
    #: their count: the classes of name the gazetteer or its look-up lacks.
    unplaced_names: tuple[tuple[str, int], ...] = ()


def _hit(predicted: Sequence[Predicted], gold: GoldToponym) -> Predicted | None:
    hits = [p for p in predicted if p.start < gold.end and gold.start < p.end]
    if not hits:
        return None
    return max(hits, key=lambda p: min(p.end, gold.end) - max(p.start, gold.start))


def _within(options: Sequence[Option], gold: GoldToponym) -> Option | None:
    """Return the nearest option within 161 km of the gold point, or None."""
    assert gold.lat is not None and gold.lon is not None
    near = [(great_circle_km(lat, lon, gold.lat, gold.lon), (lat, lon, code)) for lat, lon, code in options]
    near = [pair for pair in near if pair[0] <= ACCURACY_KM]
    return min(near)[1] if near else None


def _options(hit: Predicted) -> tuple[Option, ...]:
    placed: tuple[Option, ...] = () if hit.lat is None or hit.lon is None else ((hit.lat, hit.lon, hit.feature),)
    return hit.candidates + placed


def ceiling(docs: Sequence[GoldDoc], predictions: Sequence[Sequence[Predicted]], lookup: Lookup) -> Ceiling:
    """Return the shares of gold toponyms some candidate could place within 161 km.

    A recognised toponym's candidates are those the resolver considered for the recognised name
    (``Predicted.candidates``) and the place it was given; an unrecognised one's are
    ``lookup(gold.text)``, the gazetteer's candidates for the name as the gold annotation spans it.
    """
    recognised = recognised_reachable = gold_total = gold_reachable = 0
    for doc, predicted in zip(docs, predictions, strict=True):
        for gold in doc.toponyms:
            if gold.lat is None or gold.lon is None:
                continue
            gold_total += 1
            hit = _hit(predicted, gold)
            options: tuple[Option, ...] = () if hit is None else _options(hit)
            if hit is not None:
                recognised += 1
                if _within(options, gold) is not None:
                    recognised_reachable += 1
                    gold_reachable += 1
                    continue
            if _within(tuple(lookup(gold.text)), gold) is not None:
                gold_reachable += 1
    return Ceiling(recognised, recognised_reachable, gold_total, gold_reachable)


def error_breakdown(docs: Sequence[GoldDoc], predictions: Sequence[Sequence[Predicted]]) -> ErrorBreakdown:
    """Return the recognised toponyms resolved more than 161 km off, by gap or ranking and kind."""
    gap = ranking = 0
    ranking_kinds: Counter[str] = Counter()
    gap_kinds: Counter[str] = Counter()
    names: Counter[str] = Counter()
    unplaced: Counter[str] = Counter()
    for doc, predicted in zip(docs, predictions, strict=True):
        for gold in doc.toponyms:
            if gold.lat is None or gold.lon is None:
                continue
            hit = _hit(predicted, gold)
            if hit is None:
                continue
            chosen = "unplaced"
            if hit.lat is not None and hit.lon is not None:
                if great_circle_km(hit.lat, hit.lon, gold.lat, gold.lon) <= ACCURACY_KM:
                    continue
                chosen = hit.feature or "?"
            right = _within(_options(hit), gold)
            if right is None:
                gap += 1
                gap_kinds[chosen] += 1
                if chosen == "unplaced":
                    unplaced[doc.text[hit.start : hit.end]] += 1
            else:
                ranking += 1
                ranking_kinds[f"{right[2] or '?'} -> {chosen}"] += 1
                names[doc.text[hit.start : hit.end]] += 1
    return ErrorBreakdown(
        errors=gap + ranking,
        gap=gap,
        ranking=ranking,
        ranking_by_kind=tuple(ranking_kinds.most_common(TOP)),
        gap_by_kind=tuple(gap_kinds.most_common(TOP)),
        ranking_names=tuple(names.most_common(TOP)),
        unplaced_names=tuple(unplaced.most_common(TOP)),
    )
