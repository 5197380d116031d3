"""The events gold set (geo/eval/data/events-gold.jsonl) is what docs/events.md says it is."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter

from geo.events import TYPES
from tests.conftest import ROOT

GOLD = ROOT / "geo" / "eval" / "data" / "events-gold.jsonl"


def records() -> list[dict]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_the_gold_set_has_300_mentions_and_each_type_25_times():
    counts: Counter[str] = Counter()
    mentions = 0
    for record in records():
        for place in record["places"]:
            mentions += 1
            counts.update(place["types"])
    assert mentions >= 300
    assert set(counts) == set(TYPES)
    assert min(counts.values()) >= 25, counts


def test_every_gold_place_is_written_in_its_text_and_every_field_reads():
    for record in records():
        published = dt.date.fromisoformat(record["published"])
        for place in record["places"]:
            assert record["text"].count(place["name"]) >= place.get("occurrence", 1), place
            assert place["types"] and set(place["types"]) <= set(TYPES), place
            if "date" in place:
                assert abs((dt.date.fromisoformat(place["date"]) - published).days) < 400
