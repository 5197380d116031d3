"""The folders show the stages: geo/'s packages import only the packages before them, in the order
docs/architecture.md gives, and the library never imports the user interface."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

from tests.conftest import ROOT

GEO = ROOT / "geo"
#: The modules at the top of geo/: the package, ``python -m geo``, the command line and the public
#: API under its first import paths. They stand above every stage and may import any of them.
TOP = {"__init__", "__main__", "cli", "cachetool", "pipeline", "values", "errors"}
#: The old import paths, kept for callers outside the project: nothing inside it uses them.
COMPAT = {"geo.pipeline", "geo.values", "geo.errors"}


def documented_order() -> list[str]:
    """Return the stage packages in the order of the architecture page's table."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    return re.findall(r"^\|\s*(?:\d+\s*\|\s*)?`geo\.(\w+)`", text, re.MULTILINE)


def imports_of(path: Path) -> set[str]:
    """Return every geo module or package ``path`` imports, wherever the import stands."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the importing module's package
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                found.add(".".join([*base, node.module] if node.module else base))
            elif node.module:
                found.add(node.module)
    return {name for name in found if name == "geo" or name.startswith("geo.")}


def stage_of(module: str) -> str | None:
    """Return the stage package of a geo module name (None for the top of geo/)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] not in TOP else None


def geo_modules() -> list[Path]:
    return sorted(GEO.rglob("*.py"))


def test_the_architecture_page_lists_every_stage_package_once():
    order = documented_order()
    packages = sorted(p.parent.name for p in GEO.glob("*/__init__.py"))
    assert len(order) == len(set(order)), order
    assert sorted(order) == packages


def test_no_package_imports_one_that_comes_after_it():
    rank = {name: index for index, name in enumerate(documented_order())}
    backwards = []
    for path in geo_modules():
        importer = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        own = stage_of(importer)
        if own is None:
            continue
        for imported in imports_of(path):
            stage = stage_of(imported)
            if imported == "geo" and own == "core":
                continue  # geo.core.config reads the package's __version__, which imports nothing
            if stage is None or rank[stage] > rank[own]:
                backwards.append(f"{importer} imports {imported}")
    assert not backwards, "\n".join(backwards)


def test_the_check_sees_an_arrow_back_up(tmp_path):
    # The rule must be able to fail: a stage module that imports a later stage is reported.
    probe = GEO / "core" / "zz_probe_backwards.py"
    probe.write_text("from geo.parse.pipeline import Geoparser\n", encoding="utf-8")
    try:
        with pytest.raises(AssertionError, match=r"zz_probe_backwards imports geo\.parse\.pipeline"):
            test_no_package_imports_one_that_comes_after_it()
    finally:
        probe.unlink()


def test_the_library_never_imports_the_user_interface_nor_its_own_old_paths():
    offenders = []
    for path in [*geo_modules(), *sorted((ROOT / "ui").glob("*.py")), ROOT / "app.py"]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        names |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        if path.is_relative_to(GEO) and any(n.split(".")[0] in {"streamlit", "ui"} for n in names):
            offenders.append(f"{path.relative_to(ROOT)} imports the UI")
        if path.stem not in TOP and names & COMPAT:
            offenders.append(f"{path.relative_to(ROOT)} imports {sorted(names & COMPAT)}")
    assert not offenders, offenders


def test_geo_has_at_most_ten_modules_at_its_top():
    assert len(list(GEO.glob("*.py"))) <= 10


@pytest.mark.parametrize("package", sorted(p.parent.name for p in GEO.glob("*/__init__.py")))
def test_each_package_says_its_role_and_exports_what_it_lists(package):
    module = importlib.import_module(f"geo.{package}")
    assert module.__doc__ and len(module.__doc__.split()) >= 8, f"geo.{package} needs a docstring saying its role"
    for name in getattr(module, "__all__", []):
        assert getattr(module, name) is not None, f"geo.{package}.{name}"


def test_the_public_api_stays_importable_as_before():
    from geo import GeoError, Geoparser, Mention, ParseResult, Place, PlaceMention
    from geo.errors import GeoError as OldGeoError
    from geo.pipeline import Geoparser as OldGeoparser
    from geo.pipeline import ParseResult as OldParseResult
    from geo.values import Mention as OldMention
    from geo.values import Place as OldPlace
    from geo.values import PlaceMention as OldPlaceMention

    assert (Geoparser, ParseResult, GeoError) == (OldGeoparser, OldParseResult, OldGeoError)
    assert (Mention, Place, PlaceMention) == (OldMention, OldPlace, OldPlaceMention)
    with pytest.raises(AttributeError):
        _ = importlib.import_module("geo").NoSuchName
