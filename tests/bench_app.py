"""Benchmark: ``python -m tests.bench_app ../shared/eval/lgl.xml``: the app's server time.

- Mapping 50 articles (about 40,000 words, LGL's documents joined into articles of 800 words
  or more) to a drawn map, in a fresh process: cold geocode cache, cold Streamlit caches, the
  gazetteer already built. Measured with Streamlit's AppTest, which runs the script as the
  server does, without a browser.
- A rerun after a marker click with the seed loaded (the click stands in for the browser's
  report of it), median of 20.
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
        (folder / f"article-{number:02d}.txt").write_text(text, encoding="utf-8")
    return total


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
    """Run both measurements and print them as JSON."""
    corpus = Path(sys.argv[1])
    print(json.dumps({"fifty_articles": fifty_articles(corpus), "rerun_after_click": click_rerun()}, indent=1))


if __name__ == "__main__":
    main()
