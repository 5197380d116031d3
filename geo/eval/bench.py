"""``python -m geo.eval.bench LGL_FILE``: speed and memory figures for the README.

- gazetteer look-up latency (median, p95) over the names the corpus annotates;
- cached geocode latency (median) for the same names, once the cache holds them;
- the command line (``python -m geo parse``) over every document of the corpus, as a user runs
  it: wall time including start-up, words per second, and the peak memory of that process.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from geo.core.normalize import name_key
from geo.eval import corpora
from geo.gazetteer import open_gazetteer
from geo.resolve.geocode import CachedGeocoder, GazetteerGeocoder


def _latencies_ms(call, items) -> list[float]:
    out = []
    for item in items:
        started = time.perf_counter()
        call(item)
        out.append((time.perf_counter() - started) * 1000)
    return out


def _summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {"median_ms": round(statistics.median(ordered), 4), "p95_ms": round(ordered[int(0.95 * len(ordered))], 4)}


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print one JSON object of figures."""
    parser = argparse.ArgumentParser(prog="python -m geo.eval.bench", description=__doc__)
    parser.add_argument("file", type=Path, help="LGL's lgl.xml")
    parser.add_argument("--corpus", default="lgl", choices=corpora.CORPORA)
    args = parser.parse_args(argv)
    docs = corpora.load(args.corpus, args.file)
    names = [t.text for doc in docs for t in doc.toponyms]
    gazetteer = open_gazetteer(progress=lambda m: print(m, file=sys.stderr))
    keys = [name_key(n) for n in names]
    gazetteer.candidates(keys[0])
    figures: dict[str, object] = {"names": len(names)}
    figures["gazetteer_lookup"] = _summary(_latencies_ms(gazetteer.candidates, keys))
    with tempfile.TemporaryDirectory() as tmp:
        cached = CachedGeocoder(GazetteerGeocoder(gazetteer), path=Path(tmp) / "geocode.sqlite")
        for name in set(names):
            cached.geocode(name)
        figures["cached_geocode"] = _summary(_latencies_ms(cached.geocode, names))
        paths = []
        for i, doc in enumerate(docs):
            path = Path(tmp) / f"{i:04d}.txt"
            path.write_text(doc.text, encoding="utf-8")
            paths.append(str(path))
        words = sum(len(doc.text.split()) for doc in docs)
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "geo", "parse", *paths, "--format", "jsonl"],
            check=True,
            stdout=subprocess.DEVNULL,
            env=os.environ | {"PYTHONPATH": str(Path(__file__).resolve().parents[2])},
        )
        seconds = time.perf_counter() - started
    figures["cli"] = {
        "documents": len(docs),
        "words": words,
        "seconds": round(seconds, 2),
        "words_per_second": round(words / seconds),
        "peak_memory_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
    }
    print(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
