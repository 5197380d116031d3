"""``python -m geo.eval.bench_parse LGL_FILE [--articles N] [--jobs 1 2]``: the command line at scale.

Writes N article files (LGL's documents, cycled) and runs ``python -m geo parse`` over them once
per ``--jobs`` value, all in one run so that the figures compare: seconds to the first output
line, wall time, words per second, and the peak memory of the whole process tree (the command
and its workers, sampled from /proc): proportional set size (PSS: memory the workers share with
the process they were forked from counted once) and, for comparison, the sum of each process's
RSS. Bare spaCy (the same small model's tok2vec and ner over the same texts with ``nlp.pipe``, in
a process of its own, start-up included) runs beside it for scale.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from geo.eval import corpora

ROOT = Path(__file__).resolve().parents[2]

_BARE_SPACY = """
import sys, spacy
from geo.extract import MODEL_PACKAGES
for package in MODEL_PACKAGES:
    try:
        nlp = spacy.load(package, exclude=["lemmatizer", "parser", "tagger", "attribute_ruler", "senter"])
        break
    except OSError:
        continue
texts = [open(p, encoding="utf-8").read() for p in sys.argv[1:]]
print(sum(len(doc.ents) for doc in nlp.pipe(texts, batch_size=16)), flush=True)
"""


def _tree_memory_kb(pid: int) -> tuple[int, int]:
    """Return the (PSS, RSS) of a process and its descendants, in KB (0 once it is gone)."""
    pss = rss = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            for line in Path(f"/proc/{current}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    pss += int(line.split()[1])
                elif line.startswith("Rss:"):
                    rss += int(line.split()[1])
            for task in Path(f"/proc/{current}/task").iterdir():
                pending.extend(int(child) for child in (task / "children").read_text().split())
        except (OSError, ValueError):
            continue
    return pss, rss


def run(command: list[str]) -> dict[str, float]:
    """Run a command, its output discarded; return seconds to its first line, in all, and peak MB."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=os.environ | {"PYTHONPATH": str(ROOT)},
    )
    peak_pss = peak_rss = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_pss, peak_rss
        while not done.is_set():
            pss, rss = _tree_memory_kb(process.pid)
            peak_pss, peak_rss = max(peak_pss, pss), max(peak_rss, rss)
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    assert process.stdout is not None
    first = process.stdout.readline()
    first_line = time.perf_counter() - started if first else float("nan")
    for _line in process.stdout:
        pass
    process.wait()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if process.returncode:
        raise SystemExit(f"{command[:4]} failed with status {process.returncode}")
    return {
        "first_line_s": round(first_line, 2),
        "seconds": round(seconds, 2),
        "peak_pss_mb": round(peak_pss / 1024),
        "peak_rss_sum_mb": round(peak_rss / 1024),
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print one JSON object of figures."""
    parser = argparse.ArgumentParser(prog="python -m geo.eval.bench_parse", description=__doc__)
    parser.add_argument("file", type=Path, help="LGL's lgl.xml")
    parser.add_argument("--articles", type=int, default=5000, help="how many article files (default 5,000)")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="the --jobs values to compare")
    args = parser.parse_args(argv)
    docs = corpora.load("lgl", args.file)
    with tempfile.TemporaryDirectory() as tmp:
        paths, words = [], 0
        for number in range(args.articles):
            text = docs[number % len(docs)].text
            path = Path(tmp) / f"{number:06d}.txt"
            path.write_text(text, encoding="utf-8")
            paths.append(str(path))
            words += len(text.split())
        figures: dict[str, object] = {"articles": args.articles, "words": words}
        bare = run([sys.executable, "-c", _BARE_SPACY, *paths])
        figures["bare spaCy (tok2vec+ner, nlp.pipe)"] = bare | {"words_per_second": round(words / bare["seconds"])}
        for jobs in args.jobs:
            cli = run([sys.executable, "-m", "geo", "parse", "--format", "jsonl", "--jobs", str(jobs), *paths])
            figures[f"geo parse --jobs {jobs}"] = cli | {
                "words_per_second": round(words / cli["seconds"]),
                "of_bare_spacy": round(bare["seconds"] / cli["seconds"], 2),
            }
    print(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
