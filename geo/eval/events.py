"""``python -m geo.eval events FILE [--split all|tune|test] [--json] [--errors]``: score the event
rules (geo.events) against a gold set of place mentions (docs/events.md#the-gold-set).

The gold gives each place mention; the rules see those mentions (recognition is not scored here),
each with its sentence, and the article's publication date. Per type: precision and recall over
mentions (a mention's predicted types against its gold types). Dates: the share of mentions whose
text gives a day that get that day within one day. The held-out part (``test``) is every third
line, the 3rd, 6th, ...; ``tune`` is the rest.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from geo.core.values import Mention
from geo.events import TYPES
from geo.events.annotate import MentionEvents, annotate

__all__ = ["GoldMention", "GoldText", "Score", "load", "main", "score", "split"]

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'“])")


@dataclass(frozen=True)
class GoldMention:
    mention: Mention
    types: frozenset[str]
    date: dt.date | None


@dataclass(frozen=True)
class GoldText:
    line: int  # its index in the file, from 0
    text: str
    published: dt.date
    places: tuple[GoldMention, ...]


@dataclass
class Score:
    """Counts per type, and the dates."""

    true: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TYPES, 0))
    predicted: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TYPES, 0))
    gold: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TYPES, 0))
    mentions: int = 0
    dated: int = 0  # mentions whose text gives a day
    dated_right: int = 0  # ... given that day within one day
    undated_kept: int = 0  # mentions whose text gives none, given the publication date
    errors: list[str] = field(default_factory=list)

    def figures(self) -> dict:
        per_type = {}
        for key in TYPES:
            precision = self.true[key] / self.predicted[key] if self.predicted[key] else 0.0
            recall = self.true[key] / self.gold[key] if self.gold[key] else 0.0
            per_type[key] = {
                "gold": self.gold[key],
                "predicted": self.predicted[key],
                "precision": round(precision, 3),
                "recall": round(recall, 3),
            }
        return {
            "mentions": self.mentions,
            "types": per_type,
            "dated": self.dated,
            "dates_within_a_day": round(self.dated_right / self.dated, 3) if self.dated else None,
            "undated_given_the_publication_date": round(self.undated_kept / (self.mentions - self.dated), 3)
            if self.mentions > self.dated
            else None,
        }


def load(path: Path) -> list[GoldText]:
    """Return the gold texts of a gold file, each place made a Mention with its sentence."""
    out = []
    for line, raw in enumerate(path.read_text(encoding="utf-8").splitlines()):
        if not raw.strip():
            continue
        record = json.loads(raw)
        text = record["text"]
        bounds = _sentences(text)
        places = []
        for place in record["places"]:
            name = place["name"]
            at = -1
            for _ in range(place.get("occurrence", 1)):
                at = text.find(name, at + 1)
            if at == -1:
                raise ValueError(f"line {line + 1}: {name!r} is not in its text")
            lo, hi = next((a, b) for a, b in bounds if a <= at < b)
            mention = Mention(at, at + len(name), name, "GPE", "gold", lo, hi, " ".join(text[lo:hi].split()))
            date = dt.date.fromisoformat(place["date"]) if place.get("date") else None
            places.append(GoldMention(mention, frozenset(place["types"]), date))
        out.append(GoldText(line, text, dt.date.fromisoformat(record["published"]), tuple(places)))
    return out


def split(texts: Sequence[GoldText], part: str) -> list[GoldText]:
    """Return the ``part`` of the gold texts: all, tune (two lines in three) or test (every third)."""
    if part == "all":
        return list(texts)
    return [t for t in texts if (t.line % 3 == 2) == (part == "test")]


def score(texts: Sequence[GoldText]) -> Score:
    """Run the rules over the gold texts and count."""
    result = Score()
    for gold in texts:
        found = annotate(gold.text, [p.mention for p in gold.places], gold.published)
        for place, events in zip(gold.places, found, strict=True):
            _count(result, gold, place, events)
    return result


def _count(result: Score, gold: GoldText, place: GoldMention, events: MentionEvents) -> None:
    result.mentions += 1
    predicted = set(events.types)
    for key in predicted:
        result.predicted[key] += 1
    for key in place.types:
        result.gold[key] += 1
        result.true[key] += key in predicted
    wrong_date = False
    if place.date is not None:
        result.dated += 1
        right = events.date is not None and abs((events.date - place.date).days) <= 1
        result.dated_right += right
        wrong_date = not right
    elif events.date == gold.published:
        result.undated_kept += 1
    if predicted != place.types or wrong_date:
        result.errors.append(
            f"line {gold.line + 1} {place.mention.text}: gold {sorted(place.types)} {place.date}, "
            f"got {sorted(predicted)} {events.date} by {list(events.triggers)} | {place.mention.excerpt}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m geo.eval events", description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path, help="a gold file, e.g. geo/eval/data/events-gold.jsonl")
    parser.add_argument("--split", choices=("all", "tune", "test"), default="all")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    parser.add_argument("--errors", action="store_true", help="list the mentions the rules get wrong")
    args = parser.parse_args(argv)
    result = score(split(load(args.file), args.split))
    figures = result.figures() | {"split": args.split}
    if args.json:
        print(json.dumps(figures))
    else:
        print(f"{'type':<14}{'gold':>6}{'predicted':>11}{'precision':>11}{'recall':>8}")
        for key, row in figures["types"].items():
            print(f"{key:<14}{row['gold']:>6}{row['predicted']:>11}{row['precision']:>11.3f}{row['recall']:>8.3f}")
        print(f"mentions: {result.mentions}, split: {args.split}")
        print(f"dates within a day: {figures['dates_within_a_day']} of {result.dated} mentions that give a day")
        print(f"no day given, publication date kept: {figures['undated_given_the_publication_date']}")
    if args.errors:
        print("\n".join(result.errors), file=sys.stderr)
    return 0


def _sentences(text: str) -> list[tuple[int, int]]:
    starts = [0, *(m.end() for m in _SENTENCE_END.finditer(text))]
    ends = [*(m.start() for m in _SENTENCE_END.finditer(text)), len(text)]
    return list(zip(starts, ends, strict=True))
