"""Corpus mode without a cluster: reading inputs, batches, DuckDB queries over a hand-made dataset,
and the dashboard's corpus view (AppTest)."""

from __future__ import annotations

import datetime as dt
import json
import platform
import re
import sys

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import streamlit_folium
from streamlit.testing.v1 import AppTest

from geo.core.config import settings
from geo.core.errors import InputError
from geo.corpus.inputs import Columns, batches, read_articles
from geo.corpus.mapping import corpus_map
from geo.corpus.query import CorpusPlace, open_corpus
from geo.corpus.summary import write_summary
from geo.corpus.work import mention_schema
from geo.map.assets import serve_from
from tests.conftest import ROOT

APP = str(ROOT / "app.py")
HOSTILE = "<img src=x onerror=alert(1)> `${1+1}`"


def test_a_folder_gives_its_articles_and_records_what_cannot_be_read(tmp_path):
    (tmp_path / "b.txt").write_text("Headline from Aleppo\n\nShelling hit Aleppo today.", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.md").write_text("Talks in Geneva.", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01\x02" * 20)
    (tmp_path / "notes.csv.bak").write_text("ignored", encoding="utf-8")
    articles = list(read_articles(tmp_path))
    assert [a.id for a in articles] == ["b.txt", "bad.txt", "sub/a.md"]
    assert articles[0].title == "Headline from Aleppo" and articles[0].problem is None
    assert articles[1].text == "" and "binary" in (articles[1].problem or "")


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_a_table_gives_one_article_a_row_with_columns_named_by_options(tmp_path, fmt):
    rows = [
        {"key": "0012", "headline": "One", "day": "2016-03-14", "link": "https://example.org/1", "body": "In Aleppo."},
        {"key": "0013", "headline": "Two", "day": "2016-03-15T08:00:00Z", "link": "", "body": "In Homs."},
        {"key": "0014", "headline": "Three", "day": "not a date", "link": "", "body": "In Hama."},
        {"key": "0015", "headline": "Four", "day": "", "link": "", "body": "   "},
    ]
    path = tmp_path / f"articles.{fmt}"
    if fmt == "jsonl":
        path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    elif fmt == "csv":
        path.write_text(
            "key,headline,day,link,body\n" + "\n".join(",".join(r.values()) for r in rows), encoding="utf-8"
        )
    else:
        pq.write_table(pa.Table.from_pylist(rows), path)
    columns = Columns(id="key", title="headline", date="day", url="link", text="body")
    articles = list(read_articles(path, columns))
    assert [a.id for a in articles] == ["0012", "0013", "0014", "0015"]
    assert articles[0].date == dt.date(2016, 3, 14) and articles[0].url == "https://example.org/1"
    assert articles[1].date == dt.date(2016, 3, 15) and articles[1].url is None
    assert "ISO date" in (articles[2].problem or "")  # recorded, not fatal
    assert "empty" in (articles[3].problem or "")
    with pytest.raises(InputError, match="'text' column"):
        list(read_articles(path, Columns(id="key")))


def test_batches_are_keyed_the_same_on_every_run(tmp_path):
    for i in range(5):
        (tmp_path / f"{i}.txt").write_text(f"Article {i} from Paris.", encoding="utf-8")
    first = [b.key for b in batches(read_articles(tmp_path), 2)]
    assert first == [b.key for b in batches(read_articles(tmp_path), 2)]
    assert len(first) == 3 and len(set(first)) == 3
    assert [len(b.articles) for b in batches(read_articles(tmp_path), 2)] == [2, 2, 1]


def _row(article: int, day: dt.date | None, place: str, name: str, lat: float, lon: float, **extra) -> dict:
    row = dict(
        doc=f"a{article}", start=0, end=len(name), text=name, name=name, lat=lat, lon=lon, kind="city",
        country="SY", excerpt=f"Shelling hit {name} today.", source="geonames", place_id=place,
        article_id=f"a{article}", title=f"Article {article}", date=day, url=f"https://example.org/{article}",
    )  # fmt: skip
    row.update(extra)
    return row


@pytest.fixture(scope="module")
def corpus_out(tmp_path_factory):
    return write_corpus(tmp_path_factory.mktemp("corpus"))


def write_corpus(out):
    """Write a corpus output by hand into ``out``: 3 days and undated articles, Aleppo named in many
    articles, Homs in half as many; return ``out``."""
    days = [dt.date(2016, 3, 14), dt.date(2016, 3, 15), dt.date(2016, 3, 16), None]
    article = 0
    for i, day in enumerate(days):
        rows = []
        for _ in range(10):
            article += 1
            rows.append(_row(article, day, "geonames:170063", "Aleppo", 36.20124, 37.16117))
            if article % 2:
                rows.append(_row(article, day, "geonames:169577", "Homs", 34.72682, 36.72339))
        if i == 0:
            rows.append(_row(99, day, "geonames:1", "Hostile", 33.5, 36.3, title=HOSTILE, excerpt=f"{HOSTILE} Hostile"))
            rows.append(_row(99, day, None, "Nowhere", None, None, source="unresolved"))
        folder = out / "mentions" / f"day={day.isoformat() if day else 'undated'}"
        folder.mkdir(parents=True)
        pq.write_table(pa.Table.from_pylist(rows, schema=mention_schema()), folder / "b00000.parquet")
    (out / "failures").mkdir()
    pq.write_table(pa.table({"article_id": ["bad.txt"], "reason": ["binary"]}), out / "failures" / "b00000.parquet")
    write_summary(out)
    return out


def test_queries_count_places_and_days_over_the_parquet_files(corpus_out):
    query = open_corpus(corpus_out)
    assert query.date_range() == (dt.date(2016, 3, 14), dt.date(2016, 3, 16))
    assert query.totals() == (41, 62, 3)  # 40 articles + the hostile one; the unresolved mention counts too
    assert query.failures() == 1
    assert [(d.day, n) for d, n, _ in query.per_day()] == [(14, 17), (15, 15), (16, 15)]
    places = query.places()
    assert [p.name for p in places] == ["Aleppo", "Homs", "Hostile"]
    assert (places[0].mentions, places[0].articles) == (40, 40)
    one_day = (dt.date(2016, 3, 15), dt.date(2016, 3, 15))
    assert [(p.name, p.mentions) for p in query.places(one_day)] == [("Aleppo", 10), ("Homs", 5)]
    excerpts, total = query.excerpts("geonames:170063", one_day, page=1, per_page=4)
    assert total == 10 and len(excerpts) == 4
    assert all(e.date == dt.date(2016, 3, 15) and e.url and e.title for e in excerpts)
    near = query.nearest(36.3, 37.0)
    assert near is not None and near.name == "Aleppo"
    assert query.nearest(0.0, 0.0) is None
    summary = pq.read_table(corpus_out / "places.parquet").to_pylist()
    assert [(r["name"], r["mentions"], r["articles"]) for r in summary] == [
        ("Aleppo", 40, 40),
        ("Homs", 20, 20),
        ("Hostile", 1, 1),
    ]


def test_an_empty_folder_is_not_a_corpus(tmp_path):
    with pytest.raises(InputError, match="no corpus output"):
        open_corpus(tmp_path)


def drawn_places(html: str) -> tuple[dict, str | None]:
    """Return the FeatureCollection and the selected id a rendered map hands its browser code."""
    call = re.search(r"naDrawPlaces\([^,]+,\s*(\{.*?\}),\s*(null|\"[^\"]*\"),", html, re.S)
    assert call, "the map draws no places"
    return json.loads(call.group(1)), json.loads(call.group(2))


def test_the_corpus_map_is_the_article_maps_places_named_by_mentions_and_the_chosen_one_ringed():
    many = [
        CorpusPlace(f"p{i}", f"{HOSTILE} {i}", "city" if i % 2 else "base", "SY", i / 10, i / 10, 500 - i, 3)
        for i in range(500)
    ]
    html = corpus_map(many, selected="p7", outlines_url="/o.json", detail_url="/d.json").get_root().render()
    # The article map's own map: its offline basemap (the detailed one, its towns), its key, its
    # browser code that clusters, names and rings the places.
    assert "na-town" in html and '"/d.json"' in html and "na-legend" in html and "naDrawPlaces" in html
    data, selected = drawn_places(html)
    assert selected == "p7" and len(data["features"]) == 500
    first = data["features"][0]["properties"]
    assert first["n"] == 500 and first["kind"] == "base"  # mentions weigh a label's claim
    assert "500 mentions in 3 articles" in first["tip"] and "SY" in first["popup"]
    assert "<img src=x" not in html and "${1+1}" not in html  # every name escaped
    assert "FastMarkerCluster" not in html and "circle_marker_" not in html
    density = corpus_map(many, style="density", selected="p7").get_root().render()
    assert "L.heatLayer(" in density
    data, selected = drawn_places(density)
    assert selected == "p7" and [f["properties"]["id"] for f in data["features"]] == ["p7"]  # ringed over the heat
    with pytest.raises(ValueError, match="style"):
        corpus_map(many, style="dots")


def test_the_corpus_map_draws_the_most_named_places_and_the_chosen_one_past_its_limit():
    from geo.corpus.mapping import MARKER_LIMIT

    many = [CorpusPlace(f"p{i}", f"P {i}", "city", None, i / 100, i / 100, i + 1, 1) for i in range(MARKER_LIMIT + 50)]
    data, _ = drawn_places(corpus_map(many).get_root().render())
    counts = [f["properties"]["n"] for f in data["features"]]
    assert len(counts) == MARKER_LIMIT and min(counts) == 51  # the 50 least named are left out
    data, selected = drawn_places(corpus_map(many, selected="p0").get_root().render())
    assert selected == "p0" and len(data["features"]) == MARKER_LIMIT + 1  # the chosen one is drawn, ringed


@pytest.mark.parametrize("style", ["clusters", "density"])
def test_the_corpus_map_links_no_cdn_when_the_assets_are_served(tmp_path, style):
    assets = serve_from(tmp_path, "/app/static")
    assert assets.offline
    many = [CorpusPlace(f"p{i}", f"P {i}", "city", None, i / 10, i / 10, 1, 1) for i in range(401)]
    html = (
        corpus_map(
            many, style=style, asset_urls=assets.urls, outlines_url=assets.outlines_url, detail_url=assets.detail_url
        )
        .get_root()
        .render()
    )
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', html) + re.findall(r'<link[^>]*href="([^"]+)"', html)
    assert scripts and all(url.startswith("/app/static/vendor/") for url in scripts), scripts
    assert "cdn" not in html.lower() and "cdnjs" not in html
    wanted = "/app/static/vendor/heat/leaflet-heat.min.js" if style == "density" else "leaflet.markercluster.js"
    assert wanted in html and '"/app/static/basemap.json"' in html
    for url in scripts:  # every linked file is in the served folder
        assert (tmp_path / url.removeprefix("/app/static/")).is_file()


def test_the_corpus_folder_comes_from_the_environment(tmp_path):
    assert settings({"NEWS_ATLAS_CORPUS": str(tmp_path)}).corpus_dir == tmp_path
    assert settings({}).corpus_dir is None


def test_the_dashboard_opens_a_corpus_and_a_click_shows_escaped_excerpts(corpus_out, monkeypatch):
    # streamlit-folium reports a click as a point; stand in for the browser: near Aleppo.
    monkeypatch.setattr(streamlit_folium, "st_folium", lambda *a, **k: {"last_clicked": {"lat": 36.25, "lng": 37.1}})
    monkeypatch.setenv("NEWS_ATLAS_CORPUS", str(corpus_out))
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    assert [m.value for m in at.metric][:3] == ["41", "62", "3"]
    assert at.slider(key="corpus_days").value == (dt.date(2016, 3, 14), dt.date(2016, 3, 16))
    assert at.subheader[-1].value == "Aleppo"
    assert len([m for m in at.markdown if m.value.startswith(">")]) == 10  # a page of excerpts
    at.number_input(key="corpus_page").set_value(4).run()
    assert len([m for m in at.markdown if m.value.startswith(">")]) == 10
    at.slider(key="corpus_days").set_value((dt.date(2016, 3, 15), dt.date(2016, 3, 15))).run()
    assert not at.exception
    # The hostile article, chosen from the top places: its title and excerpt are shown as text.
    at.slider(key="corpus_days").set_value((dt.date(2016, 3, 14), dt.date(2016, 3, 16))).run()
    at.selectbox(key="corpus_pick").set_value("geonames:1").run()
    assert at.subheader[-1].value == "Hostile"
    shown = " ".join(m.value for m in at.markdown)
    assert "](<https://example.org/99>)" in shown  # the article's link
    text = shown.replace("](<https://example.org/99>)", "")
    assert not re.search(r"(?<!\\)[<`$]", text)  # every <, backtick and $ of the article escaped for Markdown
    assert "\\<img src=x onerror=alert\\(1\\)\\>" in shown


def test_a_worker_keeps_freed_memory_rather_than_trimming_at_64_kb():
    from geo.corpus.tuning import LOCAL_CLUSTER_CONFIG, keep_freed_memory

    assert keep_freed_memory() is (sys.platform.startswith("linux") and "glibc" in platform.libc_ver()[0])
    assert LOCAL_CLUSTER_CONFIG["distributed.worker.profile.enabled"] is False
