"""Benchmark: ``python -m tests.bench_app ../shared/eval/lgl.xml``: the app's server time.

- Mapping 50 articles (about 40,000 words, LGL's documents joined into articles of 800 words
  or more) to a drawn map, in a fresh process: cold geocode cache, cold Streamlit caches, the
  gazetteer already built. Measured with Streamlit's AppTest, which runs the script as the
  server does, without a browser.
- A rerun after a marker click with the seed loaded (the click stands in for the browser's
  report of it), median of 20.
- A rerun after a selection with 200 articles loaded (about 930 places), median of 20: the map
  component stands in for the browser (streamlit-folium's own rendering runs in full), so the
  time includes everything the server does to draw the map. ``--compare ROOT`` measures another
  checkout (e.g. the code before a change, exported with ``git archive``) in the same run.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def write_articles(corpus: Path, folder: Path, count: int = 50, words: int = 800) -> int:
    """Write ``count`` articles of at least ``words`` words from LGL's documents; return the words."""
    from geo.eval.corpora import load

    docs = iter(load("lgl", corpus))
    total = 0
    for number in range(count):
        parts: list[str] = []
        while sum(len(p.split()) for p in parts) < words:
            parts.append(next(docs).text)
        text = "\n\n".join(parts)
        total += len(text.split())
        (folder / f"article-{number:03d}.txt").write_text(text, encoding="utf-8")
    return total


#: Run in a fresh process over ``NEWS_ATLAS_ARTICLES``: the map component replaced by a stand-in
#: that reports a click on the first, then the second place of the table, alternately.
_SELECTION_RERUNS = """
import json, statistics, sys, time
import streamlit_folium
from streamlit.testing.v1 import AppTest
clicks, state, sent = [], {"n": 0}, []
def component(**kwargs):
    sent.append(sum(len(str(kwargs.get(k) or "")) for k in ("script", "feature_group", "header", "html")))
    return {"last_object_clicked": clicks[state["n"] % 2]} if clicks else kwargs.get("default")
streamlit_folium._component_func = component
at = AppTest.from_file(sys.argv[1], default_timeout=1800).run()
assert not at.exception, at.exception
table = at.dataframe[0].value
clicks[:] = [{"lat": float(table["Lat"][i]), "lng": float(table["Lon"][i])} for i in (0, 1)]
times = []
for _ in range(21):
    state["n"] += 1
    started = time.perf_counter()
    at.run()
    times.append((time.perf_counter() - started) * 1000)
    assert not at.exception, at.exception
    assert at.subheader[0].value == table["Place"][state["n"] % 2], at.subheader[0].value
times = times[1:]  # the first click's run also fills caches keyed by the selection
# A filter change: one category off, then on again (each its own rerun), median of 20.
kinds = list(at.multiselect(key="kinds").value)
filters = []
for number in range(21):
    shown = kinds if number % 2 else [k for k in kinds if k != "city"]
    started = time.perf_counter()
    at.multiselect(key="kinds").set_value(shown).run()
    filters.append((time.perf_counter() - started) * 1000)
    assert not at.exception, at.exception
filters = filters[1:]
print(json.dumps({"places": len(table), "median_ms": round(statistics.median(times), 1),
                  "max_ms": round(max(times), 1), "map_args_bytes": sent[-1],
                  "filter_median_ms": round(statistics.median(filters), 1),
                  "filter_max_ms": round(max(filters), 1)}))
"""


def selection_reruns(corpus: Path, roots: dict[str, Path], count: int = 200) -> dict[str, object]:
    """Median server time of a rerun after a selection with ``count`` articles loaded, for each checkout."""
    with tempfile.TemporaryDirectory() as tmp:
        articles, cache = Path(tmp) / "articles", Path(tmp) / "cache"
        articles.mkdir()
        cache.mkdir()
        from geo.gazetteer import open_gazetteer

        (cache / "gazetteer.sqlite").symlink_to(open_gazetteer().path)
        words = write_articles(corpus, articles, count=count, words=600)
        found: dict[str, object] = {"articles": count, "words": words}
        for label, root in roots.items():
            env = os.environ | {"NEWS_ATLAS_ARTICLES": str(articles), "GEO_CACHE_DIR": str(cache)}
            env["PYTHONPATH"] = str(root)
            done = subprocess.run(
                [sys.executable, "-c", _SELECTION_RERUNS, str(root / "app.py")],
                capture_output=True, text=True, env=env, cwd=root, check=True,
            )  # fmt: skip
            found[label] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def fifty_articles(corpus: Path) -> dict[str, object]:
    """Time the first run of the app over 50 articles, in a fresh process."""
    with tempfile.TemporaryDirectory() as tmp:
        articles, cache = Path(tmp) / "articles", Path(tmp) / "cache"
        articles.mkdir()
        cache.mkdir()
        from geo.gazetteer import open_gazetteer

        (cache / "gazetteer.sqlite").symlink_to(open_gazetteer().path)
        words = write_articles(corpus, articles)
        code = (
            "import time; from streamlit.testing.v1 import AppTest\n"
            f"at = AppTest.from_file({str(ROOT / 'app.py')!r}, default_timeout=600)\n"
            "started = time.perf_counter(); at.run(); seconds = time.perf_counter() - started\n"
            "assert not at.exception, at.exception\n"
            "print(seconds, len(at.dataframe[0].value))\n"
        )
        env = os.environ | {"NEWS_ATLAS_ARTICLES": str(articles), "GEO_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT)}
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
        seconds, places = done.stdout.split()
    return {"articles": 50, "words": words, "seconds": round(float(seconds), 2), "places": int(places)}


def click_rerun() -> dict[str, float]:
    """Median server time of a rerun after a marker click, the seed loaded."""
    import streamlit_folium
    from streamlit.testing.v1 import AppTest

    clicks = [{"lat": 35.4011, "lng": 35.9486}, {"lat": 46.2022, "lng": 6.1457}]
    state = {"n": 0}

    def fake_st_folium(*args, **kwargs):
        return {"last_object_clicked": clicks[state["n"] % 2]}

    streamlit_folium.st_folium = fake_st_folium
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600).run()  # warm: caches filled
    times = []
    for _ in range(20):
        state["n"] += 1
        started = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - started) * 1000)
        assert at.subheader[0].value in ("Hmeymim Air Base", "Geneva")
    return {"median_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1)}


def main() -> None:
    """Run the measurements and print them as JSON (``CORPUS [--compare ROOT] [--only-selection]``)."""
    corpus = Path(sys.argv[1])
    roots = {"this": ROOT}
    if "--compare" in sys.argv:
        roots = {"compared": Path(sys.argv[sys.argv.index("--compare") + 1]).resolve(), **roots}
    found: dict[str, object] = {
        "selection_reruns_50": selection_reruns(corpus, roots, count=50),
        "selection_reruns_200": selection_reruns(corpus, roots),
    }
    if "--only-selection" not in sys.argv:
        found |= {"fifty_articles": fifty_articles(corpus), "rerun_after_click": click_rerun()}
    print(json.dumps(found, indent=1))


if __name__ == "__main__":
    main()
