"""Derive the demonym table ("Syrian", "Syrians" → Syria) from the countryinfo package.

``python -m geo.gazetteer.demonyms`` writes ``geo/data/demonyms.csv``: for every country that
countryinfo (MIT; its data comes from the public mledoze/countries set) gives a demonym, the
demonym, its plural ("Russians", "Iraqis"; none for "Chinese", "Swiss", "French"), the country's
ISO 3166 code and its English name. A demonym several countries share ("Dominican", "Congolese",
"French") goes to the most populous of them. Forms countryinfo does not give ("Saudi",
"Argentine", "Kyrgyz") are not in the table. Run by hand when the table is renewed; the app
reads only the CSV file.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from geo.core.config import DATA_DIR
from geo.gazetteer.sources import package_dir

__all__ = ["DEMONYMS_CSV", "Demonym", "derive", "main", "plural", "rows"]

log = logging.getLogger(__name__)

DEMONYMS_CSV = DATA_DIR / "demonyms.csv"
#: Endings after which an English demonym has no plural of its own ("the Chinese", "the Swiss",
#: "the French", "the Polish"); "Czech" takes an s.
_NO_PLURAL = ("ese", "sh", "tch", "nch", "s", "x", "z")


@dataclass(frozen=True)
class Demonym:
    """One row of the table: a demonym as written, its country's ISO code and English name, and
    whether it is the adjective or its plural."""

    demonym: str
    country: str
    name: str
    form: str  # "adjective" or "plural"


def plural(demonym: str) -> str | None:
    """Return the plural of a demonym that has one ("Russian" → "Russians"), else None."""
    return None if demonym.lower().endswith(_NO_PLURAL) else demonym + "s"


def _countries() -> Iterator[tuple[str, str, str, int]]:
    """Yield (ISO code, English name, demonym, population) for each demonym of each country
    countryinfo knows ("Antiguan, Barbudan" is two)."""
    for path in sorted((package_dir("countryinfo") / "data").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        code = (data.get("ISO") or {}).get("alpha2") or ""
        name = str(data.get("name") or "")
        for part in str(data.get("demonym") or "").split(","):
            demonym = " ".join(part.split())
            if len(code) == 2 and demonym and name:
                yield code, name, demonym, int(data.get("population") or 0)


def rows() -> list[Demonym]:
    """Return the table's rows, sorted by demonym.

    Left out: a demonym that is its country's name ("Djibouti", "Gibraltar": the name is already
    a place), one with a slash or "and" ("Serbian/Montenegrin", a former union; "Heard and
    McDonald Islander", no word a text uses), and a code that is no current ISO 3166 country.
    """
    import pycountry  # only needed while deriving

    best: dict[str, tuple[int, Demonym]] = {}  # by demonym, lower-cased: the most populous country
    for code, name, demonym, population in _countries():
        if demonym.lower() == name.lower() or "/" in demonym or " and " in demonym:
            continue
        if pycountry.countries.get(alpha_2=code) is None:
            continue
        for form, text in (("adjective", demonym), ("plural", plural(demonym))):
            if text is not None and (text.lower() not in best or population > best[text.lower()][0]):
                best[text.lower()] = (population, Demonym(text, code, name, form))
    return sorted((row for _population, row in best.values()), key=lambda row: (row.demonym.lower(), row.form))


def derive(path: Path = DEMONYMS_CSV) -> int:
    """Write the table to ``path``; return its number of rows."""
    table = rows()
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["demonym", "country", "name", "form"])
        writer.writerows([row.demonym, row.country, row.name, row.form] for row in table)
    return len(table)


def main(argv: list[str] | None = None) -> int:
    """Derive the table (to ``--out``, default geo/data/demonyms.csv); return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m geo.gazetteer.demonyms", description=__doc__)
    parser.add_argument("--out", type=Path, default=DEMONYMS_CSV)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    log.info("wrote %d demonyms to %s", derive(args.out), args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
