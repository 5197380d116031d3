"""Names a person added to or removed from an article: stored, undone, honoured by the pipeline;
and the gazetteer's name search they pick places from."""

from __future__ import annotations

import sqlite3

import pytest

from geo.core.errors import CorrectionRefused
from geo.core.features import Feature
from geo.core.provenance import Step, source_text
from geo.gazetteer.search import search_names
from geo.parse.pipeline import Geoparser, edited_mentions
from geo.store.corrections import MAX_WRITTEN, Correction, Corrections, Edits, article_id

# Written for these tests: "Qamishli" is a real Syrian city the model may or may not find; "Tal
# Tamr" is a town the gazetteer knows; "Olive Garden" is a restaurant, not a place.
TEXT = (
    "Fighting spread from Tal Tamr towards Qamishli on Sunday, residents said.\n\n"
    "A spokesman speaking at the Olive Garden in Damascus said Tal Tamr was calm. Tal Tamrs is not it."
)
TAL_TAMR = Correction("Tal Tamr", 36.65, 40.37, Feature.CITY, "SY")


def test_add_remove_and_undo_are_kept_per_article(tmp_path):
    store = Corrections(tmp_path / "c.sqlite")
    article = article_id(TEXT)
    assert store.add(article, "Tal Tamr", TAL_TAMR, session="s1") == "tal tamr"
    assert store.remove(article, "Olive Garden", session="s1") == "olive garden"
    edits = store.edits(article)
    assert edits.added == {"Tal Tamr": TAL_TAMR}
    assert edits.removed == frozenset({"olive garden"})
    assert edits.placed == {} and store.for_article(article) == {}
    assert store.edits(article_id("another article")) == Edits()
    # The latest row of a name wins: removing an added name hides it; undoing brings it back.
    store.remove(article, "Tal Tamr", session="s1")
    assert store.edits(article).added == {} and "tal tamr" in store.edits(article).removed
    assert store.undo_last(article, session="s2") is None  # another session's: not taken back
    assert store.undo_last(article, session="s1") == "tal tamr"
    assert store.edits(article).added == {"Tal Tamr": TAL_TAMR}
    assert store.undo(article, "olive garden")
    assert store.edits(article).removed == frozenset()
    assert store.undo_last(article) == "tal tamr" and store.undo_last(article) is None


def test_the_version_never_repeats_after_add_undo_remove(tmp_path):
    store = Corrections(tmp_path / "c.sqlite")
    seen = [store.version()]
    store.add("a", "Homs", TAL_TAMR)
    seen.append(store.version())
    store.undo_last("a")
    seen.append(store.version())
    store.remove("a", "Hama")  # SQLite gives it the rowid the undone row had
    seen.append(store.version())
    store.undo("a", "hama")
    seen.append(store.version())
    assert len(set(seen)) == len(seen)
    assert Corrections(tmp_path / "c.sqlite").version() == seen[-1]  # kept in the file


def test_adding_is_rate_limited_and_checked(tmp_path):
    store = Corrections(tmp_path / "c.sqlite", max_per_minute=2)
    store.add("a", "Homs", TAL_TAMR, session="s")
    store.remove("a", "Hama", session="s")
    with pytest.raises(CorrectionRefused):
        store.add("a", "Idlib", TAL_TAMR, session="s")
    store.add("a", "Idlib", TAL_TAMR, session="another")
    for bad in ("", "  ", "!!!", "x" * (MAX_WRITTEN + 1)):
        with pytest.raises(ValueError):
            Corrections(tmp_path / "d.sqlite").add("a", bad, TAL_TAMR)


def test_a_file_of_the_first_schema_opens_and_its_rows_stay_corrections(tmp_path):
    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as old:  # the table as the first version made it
        old.execute(
            "CREATE TABLE corrections (article TEXT NOT NULL, name_key TEXT NOT NULL, name TEXT NOT NULL,"
            " lat REAL NOT NULL, lon REAL NOT NULL, feature TEXT NOT NULL, country TEXT, kind TEXT,"
            " created REAL NOT NULL)"
        )
        old.execute("INSERT INTO corrections VALUES ('a1', 'homs', 'Homs', 34.7, 36.7, 'PPL', 'SY', NULL, 1.0)")
    store = Corrections(path)
    assert store.for_article("a1") == {"homs": Correction("Homs", 34.7, 36.7, Feature.CITY, "SY")}
    store.remove("a1", "Homs")
    assert store.edits("a1").removed == frozenset({"homs"}) and store.for_article("a1") == {}
    assert store.undo_last("a1") == "homs" and "homs" in store.for_article("a1")


def test_the_pipeline_adds_every_occurrence_and_drops_removed_names(tmp_path, gazetteer, nlp):
    store = Corrections(tmp_path / "c.sqlite")
    parser = Geoparser(gazetteer=gazetteer, nlp=nlp, corrections=store)
    before = parser.parse(TEXT).mentions
    assert any(p.mention.text == "Damascus" and p.place is not None for p in before)
    article = article_id(TEXT)
    store.add(article, "Tal Tamr", TAL_TAMR)
    store.remove(article, "Damascus")
    after = parser.parse(TEXT).mentions
    added = [p for p in after if p.mention.text == "Tal Tamr"]
    # Twice as written; not inside "Tal Tamrs".
    assert [p.mention.start for p in added] == [i for i in _all(TEXT, "Tal Tamr") if TEXT[i + 8] != "s"]
    assert all(p.place is not None and p.place.provenance.step is Step.ADDED for p in added)
    assert all(p.place.name == "Tal Tamr" and p.mention.finder == "person" for p in added if p.place)
    assert source_text(added[0].place.provenance) == "added by hand"  # type: ignore[union-attr]
    assert "Tal Tamr" in added[0].mention.excerpt and "Fighting" in added[0].mention.excerpt
    assert not any(p.mention.text == "Damascus" for p in after)
    assert [p.mention.start for p in after] == sorted(p.mention.start for p in after)
    store.undo(article, "damascus")
    assert any(p.mention.text == "Damascus" for p in parser.parse(TEXT).mentions)
    assert all(p.mention.text != "Tal Tamr" for p in parser.parse("Tal Tamr was calm.").mentions if p.place and
               p.place.provenance.step is Step.ADDED)  # fmt: skip


def _all(text: str, needle: str) -> list[int]:
    return [i for i in range(len(text)) if text.startswith(needle, i)]


def test_an_added_name_wins_over_a_found_mention_it_overlaps(seed_text):
    from tests.conftest import mention_in

    article = "Jets flew from Hmeymim air base near Latakia."
    found = [mention_in("Hmeymim", article), mention_in("Latakia", article)]
    edits = Edits(added={"Hmeymim air base": TAL_TAMR})
    mentions = edited_mentions(found, article, edits)
    assert [m.text for m in mentions] == ["Hmeymim air base", "Latakia"]
    assert edited_mentions(found, article, Edits(removed=frozenset({"latakia"}))) == found[:1]


def test_readings_put_the_resolver_first_then_near_misses(geoparser):
    text = "Fighters left Benghazi and Misrata for Tripoli, then Beirut."
    start = text.index("Tripoli")
    readings = geoparser.readings(text, [], start, start + len("Tripoli"))
    assert readings[0].country == "LY" and any(c.country == "LB" for c in readings)  # in context
    text = "Shelling hit the outskirts of Damascas overnight."
    start = text.index("Damascas")
    assert geoparser.readings(text, [], start, start + 8)[0].name == "Damascus"  # a near miss
    assert geoparser.readings("Zzqxv wept.", [], 0, 5) == []


def test_the_name_search_finds_exact_names_first_then_prefixes(gazetteer):
    exact = search_names(gazetteer, "Aleppo")
    assert exact[0].name == "Aleppo" and exact[0].country == "SY"
    prefix = search_names(gazetteer, "Hmeym")
    assert any("Hmeymim" in c.name for c in prefix)
    berlin = search_names(gazetteer, "berl", limit=5)
    assert len(berlin) <= 5 and any(c.name == "Berlin" and c.country == "DE" for c in berlin)
    assert search_names(gazetteer, "  !! ") == [] and search_names(gazetteer, "zzzqqq") == []
    assert len({c.place_id for c in search_names(gazetteer, "new york")}) == len(search_names(gazetteer, "new york"))
    assert search_names(gazetteer, "Aleppo" + "x" * 10_000) == []  # cut, and no such name


def test_the_search_box_lists_places_on_the_map_first_then_the_gazetteers(gazetteer):
    from geo.core.features import Feature as F
    from geo.core.provenance import Provenance
    from geo.core.values import MappedPlace, Mention, Place
    from ui.search import matches, spot_of

    aleppo = Place(
        "geonames:170063", "Aleppo", 36.2, 37.16, "city", "SY", F.CITY, Provenance(Step.GAZETTEER, "geonames")
    )
    on_map = [MappedPlace(aleppo, (Mention(0, 6, "Halab", "GPE", "ner", 0, 6, "Halab"),))]
    found = search_names(gazetteer, "Aleppo")
    choices = matches("aleppo", on_map, found)
    assert choices[0].place == aleppo.place_id and "on the map" in choices[0].label
    assert [c.place for c in choices].count(aleppo.place_id) == 1  # the gazetteer's Aleppo is the same place
    assert any(c.candidate is not None and c.candidate.feature is F.ADMIN1 for c in choices)
    assert matches("halab", on_map, [])[0].place == aleppo.place_id  # by the name as written
    assert matches("  ", on_map, found) == []
    spot = spot_of(next(c.candidate for c in choices if c.candidate is not None))
    assert spot.mentions == () and spot.place.kind == "region"


@pytest.mark.slow  # runs python -m geo
def test_the_command_line_honours_added_and_removed_names(tmp_path):
    import json
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    text = "Ships left the harbour at Baniyas on Tuesday.\n\nFishermen near Jablah said the sea road was shut.\n"
    (tmp_path / "article.txt").write_text(text, encoding="utf-8")
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "gazetteer.sqlite").symlink_to(ROOT / "cache" / "gazetteer.sqlite")

    def parse() -> list[dict]:
        done = subprocess.run(
            [sys.executable, "-m", "geo", "parse", str(tmp_path / "article.txt"), "--format", "jsonl", "--jobs", "1"],
            cwd=ROOT,
            capture_output=True,
            timeout=300,
            env=os.environ | {"GEO_CACHE_DIR": str(cache)},
        )
        assert done.returncode == 0, done.stderr.decode()
        return [json.loads(line) for line in done.stdout.decode().splitlines()]

    assert [r["text"] for r in parse()] == ["Jablah"]  # as the machine reads it
    store = Corrections(cache / "corrections.sqlite")
    store.add(article_id(text), "Baniyas", Correction("Baniyas", 35.18, 35.95, Feature.CITY, "SY"))
    store.remove(article_id(text), "Jablah")
    records = parse()
    assert [(r["text"], r["source"]) for r in records] == [("Baniyas", "added by hand")]
    assert records[0]["start"] == text.index("Baniyas")
