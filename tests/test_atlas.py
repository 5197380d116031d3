"""Atlases: the store that keeps them on the server (geo.store.atlas) and the file format that
carries them (geo.outputs.atlas), read as untrusted input."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from geo.core.config import settings
from geo.core.features import Feature
from geo.inputs.articles import Article
from geo.inputs.metadata import ArticleMeta
from geo.map.mapview import View
from geo.outputs.atlas import (
    FORMAT,
    MAX_DEPTH,
    VERSION,
    Atlas,
    AtlasArticle,
    AtlasFileError,
    AtlasState,
    Layer,
    read_atlas,
    to_json,
)
from geo.store import notices
from geo.store.atlas import AtlasLimits, AtlasMissing, AtlasRefused, AtlasStore
from geo.store.corrections import Correction, Edits

TEXT = "Talks resumed in Geneva on Monday, and the delegates flew on to Moscow."


def sample() -> Atlas:
    edits = Edits(
        placed={"geneva": Correction("Geneva", 41.89, -88.31, Feature.CITY, "US", "city")},
        added={"the delegates": Correction("Delegates' hall", 46.2, 6.1)},
        removed=frozenset({"moscow"}),
    )
    article = Article("Pasted article", TEXT, "pasted", ArticleMeta("Talks <b>resume</b>", "Wire", dt.date(2024, 5, 2)))
    state = AtlasState(
        kinds=("city", "venue"),
        countries=("CH",),
        articles=("Pasted article",),
        min_mentions=2,
        date_from=dt.date(2024, 1, 1),
        date_to=dt.date(2024, 12, 31),
        colour_by="date",
        place="geonames:2660646",
        view=View(46.2, 6.1, 7, None),
        event_types=("strikes", "diplomacy"),
        event_from=dt.date(2024, 4, 29),
        event_to=dt.date(2024, 5, 2),
    )
    area = {
        "type": "Feature",
        "geometry": {"type": "Polygon", "coordinates": [[[6.0, 46.0], [6.3, 46.0], [6.3, 46.3], [6.0, 46.0]]]},
        "properties": {"label": "Area", "note": "drawn"},
    }
    return Atlas("Geneva talks", (AtlasArticle(article, edits),), state, (Layer("My notes", (area,)),))


def test_an_atlas_round_trips_through_its_file():
    atlas = sample()
    text = to_json(atlas)
    document = json.loads(text)
    assert (document["format"], document["version"]) == (FORMAT, VERSION) == (FORMAT, 2)
    again = read_atlas(text)
    assert again.title == atlas.title
    assert again.articles == atlas.articles
    assert again.state == atlas.state
    assert again.layers == atlas.layers
    assert again.corrections() == 3


def test_the_event_filter_and_the_timelines_days_round_trip_and_old_files_read_without_them():
    text = to_json(sample())
    state = json.loads(text)["state"]
    assert (state["event_types"], state["event_from"], state["event_to"]) == (
        ["strikes", "diplomacy"],
        "2024-04-29",
        "2024-05-02",
    )
    again = read_atlas(text).state
    assert (again.event_types, again.event_from, again.event_to) == (
        ("strikes", "diplomacy"),
        dt.date(2024, 4, 29),
        dt.date(2024, 5, 2),
    )
    for key in ("event_types", "event_from", "event_to"):  # a file written before the fields
        del state[key]
    old = read_atlas(json.dumps(document(state=state))).state
    assert (old.event_types, old.event_from, old.event_to) == ((), None, None)
    assert old.kinds == ("city", "venue")


def test_the_event_filter_and_days_of_a_file_are_checked():
    def read(**state) -> AtlasState:
        doc = document()
        doc["state"].update(state)
        return read_atlas(json.dumps(doc)).state

    # unknown types (a later taxonomy's, or made up) are dropped, repeats kept once
    assert read(event_types=["strikes", "<script>", "strikes", "Fighting", "fighting"]).event_types == (
        "strikes",
        "fighting",
    )
    # a day that does not read, or lies before 1800 or far beyond today, is no bound
    far = (dt.date.today() + dt.timedelta(days=800)).isoformat()
    assert read(event_from="2024-02-30", event_to=far).event_from is None
    assert read(event_from="1700-01-01", event_to=far).event_to is None
    # a range written backwards reads forwards
    state = read(event_from="2024-05-02", event_to="2024-04-29")
    assert (state.event_from, state.event_to) == (dt.date(2024, 4, 29), dt.date(2024, 5, 2))
    for wrong in ({"event_types": "strikes"}, {"event_types": [1]}, {"event_from": 20240502}, {"event_to": "x" * 41}):
        with pytest.raises(AtlasFileError):
            read(**wrong)


def document(**changes) -> dict:
    doc = json.loads(to_json(sample()))
    doc.update(changes)
    return doc


def hostile(doc: dict | str | bytes) -> str:
    with pytest.raises(AtlasFileError) as err:
        read_atlas(doc if isinstance(doc, str | bytes) else json.dumps(doc))
    return str(err.value)


def test_hostile_atlas_files_each_get_a_clear_message():
    assert "version 3" in hostile(document(version=3)) and "newer" in hostile(document(version=3))
    assert "not a News Atlas atlas" in hostile(document(format="kepler"))
    assert "not JSON" in hostile(b"{not json")
    assert "not UTF-8" in hostile(b'{"format": "\xff"}')
    assert "MB" in hostile(json.dumps(document(title="x" * 200)).encode() + b" " * 6_000_000)
    assert f"nested more than {MAX_DEPTH}" in hostile("[" * 100_000 + "]" * 100_000)
    assert f"nested more than {MAX_DEPTH}" in hostile('{"a":' * 20 + "1" + "}" * 20)
    doc = document()
    doc["articles"][0]["corrections"][0]["lat"] = 123.0
    assert "off the map" in hostile(doc)
    doc = document()
    doc["state"]["view"]["lng"] = float("inf")
    assert "not JSON" in hostile(json.dumps(doc)) or "not a number" in hostile(json.dumps(doc))
    doc = document()
    doc["layers"][0]["features"][0]["geometry"]["coordinates"][0][1] = [500, 0]
    assert "off the map" in hostile(doc)
    doc = document()
    doc["articles"][0]["text"] = 42
    assert "has no text" in hostile(doc)
    assert "not a list" in hostile(document(articles={"a": 1}))
    doc = document()
    doc["articles"][0]["title"] = ["a"]
    assert "title is not text" in hostile(doc)
    doc = document()
    doc["articles"].append(dict(doc["articles"][0]))
    assert "same name" in hostile(doc)
    assert "not a number" in hostile(document(state={"view": {"lat": "1", "lng": 2, "zoom": 3}}))


def test_script_in_labels_is_kept_as_text_never_as_markup():
    doc = document(title="<script>alert(1)</script>\u202e")
    doc["layers"][0]["features"][0]["properties"] = {"<img src=x onerror=alert(1)>": "<script>x</script>"}
    atlas = read_atlas(json.dumps(doc))
    assert atlas.title == "<script>alert(1)</script>"  # text, with controls removed; escaped where shown
    assert atlas.layers[0].features[0]["properties"] == {"<img src=x onerror=alert(1)>": "<script>x</script>"}


def test_the_store_keeps_an_atlas_under_an_unguessable_id(tmp_path):
    store = AtlasStore(tmp_path / "atlases.sqlite")
    first, second = store.save("{}"), store.save('{"a": 1}')
    assert first != second and len(first) >= 22
    assert store.load(first) == "{}" and store.load(second) == '{"a": 1}'
    with pytest.raises(AtlasMissing, match="no atlas"):
        store.load("A" * 22)
    with pytest.raises(AtlasMissing, match="malformed"):
        store.load("../../etc/passwd")


def test_the_store_is_bounded(tmp_path):
    clock = [1000.0]
    limits = AtlasLimits(max_bytes=100, max_count=3, max_total_bytes=250, days=1, per_session=2)
    store = AtlasStore(tmp_path / "atlases.sqlite", limits, clock=lambda: clock[0])
    with pytest.raises(AtlasRefused, match="up to"):
        store.save("x" * 101)
    kept = [store.save("x" * 80, session="a"), store.save("x" * 80, session="a")]
    with pytest.raises(AtlasRefused, match="this visit"):
        store.save("x", session="a")
    store.save("x" * 80, session="b")
    with pytest.raises(AtlasRefused, match="as many atlases"):  # 3 kept, the most
        store.save("x", session="c")
    clock[0] += 86_401  # a day later: all three expired
    with pytest.raises(AtlasMissing, match="expired"):
        store.load(kept[0])
    store.save("x", session="a")  # expired atlases are deleted to make room
    assert store.stats() == (1, 1)


def test_the_limits_come_from_the_operator_settings():
    config = settings(
        {
            "NEWS_ATLAS_PUBLIC": "1",
            "NEWS_ATLAS_ATLAS_MAX_BYTES": "1000",
            "NEWS_ATLAS_ATLAS_MAX_COUNT": "5",
            "NEWS_ATLAS_ATLAS_DAYS": "0",
            "NEWS_ATLAS_ATLAS_PER_SESSION": "1",
            "NEWS_ATLAS_ATLAS_SAVING": "editors",
        }
    )
    limits = AtlasLimits.of(config)
    assert (limits.max_bytes, limits.max_count, limits.days, limits.per_session) == (1000, 5, 0, 1)
    assert config.atlas_saving == "editors"
    assert settings({"NEWS_ATLAS_ATLAS_SAVING": "everyone!"}).atlas_saving == "off"  # a typo closes, never opens
    assert AtlasLimits.of(settings({})).per_session is None  # locally, no bound per session


def test_a_store_that_cannot_be_written_carries_on_in_memory(tmp_path):
    notices.clear()
    (tmp_path / "atlases.sqlite").mkdir()  # a folder where the file should be
    store = AtlasStore(tmp_path / "atlases.sqlite")
    assert store.in_memory
    atlas_id = store.save("{}")
    assert store.load(atlas_id) == "{}"
    assert any("Atlases cannot be saved" in n for n in notices.current())
    notices.clear()


def test_the_command_line_prints_an_atlas_with_its_corrections(tmp_path, capsys, gazetteer):
    from geo.cli import main

    path = tmp_path / "talks.atlas.json"
    path.write_text(to_json(sample()), encoding="utf-8")
    assert main(["atlas", str(path), "--format", "jsonl"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    by_name = {r["text"]: r for r in records}
    assert by_name["Geneva"]["country"] == "US" and round(by_name["Geneva"]["lat"], 2) == 41.89  # corrected
    assert "Moscow" not in by_name  # marked as not a place in the atlas
    assert {r["title"] for r in records} == {"Talks <b>resume</b>"}
    assert main(["atlas", str(path), "--format", "table"]) == 0
    assert "Geneva" in capsys.readouterr().out


def test_the_command_line_refuses_a_hostile_atlas_in_one_line(tmp_path, capsys):
    from geo.cli import main

    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document(version=9)), encoding="utf-8")
    assert main(["atlas", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "version 9" in err
