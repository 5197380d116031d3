"""``python -m geo.eval.bench_parse LGL_FILE [--articles N] [--jobs 1 2]``: the command line at scale.

Writes N article files (LGL's documents, cycled) and runs ``python -m geo parse`` over them once
per ``--jobs`` value, all in one run so that the figures compare: seconds to the first output
line, wall time, words per second, and the peak memory of the whole process tree (the command
and its workers, sampled from /proc): proportional set size (PSS: memory the workers share with
the process they were forked from counted once) and, for comparison, the sum of each process's
RSS. Bare spaCy (the same small model's tok2vec and ner over the same texts with ``nlp.pipe``, in
a process of its own, start-up included) runs beside it for scale, and so does the small model's
ner alone (its shared tok2vec switched off, as ``geo.recognize.extract.load_english`` does: nothing but
the tagger and parser, left out, reads it).

On a shared machine wall time measures the other jobs too: each run also reports its CPU time
(the process and the workers it waited for, from ``wait4``), and the ratios are given both ways;
``--rounds`` alternates the runs, and the load average is printed before and after each round.
``--compare DIR`` runs another checkout's ``geo parse --jobs 1`` beside this one's (same files).
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

#: Bare spaCy: the small model's tok2vec and ner (argument "ner": ner alone, the shared tok2vec
#: switched off, as geo.recognize.extract does: nothing else listens to it, ner embeds the words itself).
_BARE_SPACY = """
import sys, spacy
from geo.recognize.extract import MODEL_PACKAGES
for package in MODEL_PACKAGES:
    try:
        nlp = spacy.load(package, exclude=["lemmatizer", "parser", "tagger", "attribute_ruler", "senter"])
        break
    except OSError:
        continue
if sys.argv[1] == "ner":
    nlp.disable_pipe("tok2vec")
texts = [open(p, encoding="utf-8").read() for p in sys.argv[2:]]
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


def run(command: list[str], root: Path = ROOT) -> dict[str, float]:
    """Run a command (with ``root`` on its import path), its output discarded; return seconds to
    its first line, in all, its CPU seconds (its workers' included), and peak MB."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=os.environ | {"PYTHONPATH": str(root)},
        cwd=root,
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
    _pid, status, usage = os.wait4(process.pid, 0)  # CPU time of the command and the workers it reaped
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if process.returncode:
        raise SystemExit(f"{command[:4]} failed with status {process.returncode}")
    return {
        "first_line_s": round(first_line, 2),
        "seconds": round(seconds, 2),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_pss_mb": round(peak_pss / 1024),
        "peak_rss_sum_mb": round(peak_rss / 1024),
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print one JSON object of figures."""
    parser = argparse.ArgumentParser(prog="python -m geo.eval.bench_parse", description=__doc__)
    parser.add_argument("file", type=Path, help="LGL's lgl.xml")
    parser.add_argument("--articles", type=int, default=5000, help="how many article files (default 5,000)")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="the --jobs values to compare")
    parser.add_argument("--rounds", type=int, default=1, help="times to alternate the runs (default 1)")
    parser.add_argument("--compare", type=Path, default=None, metavar="DIR", help="another checkout to run beside")
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
        parse = [sys.executable, "-m", "geo", "parse", "--format", "jsonl", "--jobs"]
        for number in range(1, args.rounds + 1):
            round_figures: dict[str, object] = {"load_average_before": _load()}
            bare = run([sys.executable, "-c", _BARE_SPACY, "tok2vec+ner", *paths])
            ner = run([sys.executable, "-c", _BARE_SPACY, "ner", *paths])
            round_figures["bare spaCy (tok2vec+ner, nlp.pipe)"] = bare | _rates(words, bare, bare, ner)
            round_figures["bare spaCy (ner alone, nlp.pipe)"] = ner | _rates(words, ner, bare, ner)
            for jobs in args.jobs:
                cli = run([*parse, str(jobs), *paths])
                round_figures[f"geo parse --jobs {jobs}"] = cli | _rates(words, cli, bare, ner)
            if args.compare is not None:
                other = run([*parse, "1", *paths], root=args.compare.resolve())
                round_figures[f"{args.compare} geo parse --jobs 1"] = other | _rates(words, other, bare, ner)
            round_figures["load_average_after"] = _load()
            figures[f"round {number}"] = round_figures
            print(json.dumps({f"round {number}": round_figures}, indent=1), file=sys.stderr, flush=True)
    print(json.dumps(figures, indent=1))
    return 0


def _rates(words: int, figures: dict[str, float], bare: dict[str, float], ner: dict[str, float]) -> dict[str, float]:
    """Return words per second (wall and CPU) and the ratios to bare spaCy's, tok2vec+ner and
    ner alone (wall and CPU; above 1: faster than it)."""
    return {
        "words_per_second": round(words / figures["seconds"]),
        "words_per_cpu_second": round(words / figures["cpu_s"]),
        "of_bare_spacy": round(bare["seconds"] / figures["seconds"], 3),
        "of_bare_spacy_cpu": round(bare["cpu_s"] / figures["cpu_s"], 3),
        "of_bare_ner": round(ner["seconds"] / figures["seconds"], 3),
        "of_bare_ner_cpu": round(ner["cpu_s"] / figures["cpu_s"], 3),
    }


def _load() -> str:
    """Return the machine's load averages (1, 5, 15 minutes), as /proc/loadavg gives them."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


if __name__ == "__main__":
    sys.exit(main())
