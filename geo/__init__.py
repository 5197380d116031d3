"""News Atlas geoparsing library: article text in, places with coordinates and context out.

The stages are packages, each importing only those before it (docs/architecture.md):

    core -> store -> inputs -> gazetteer -> recognize -> resolve -> parse -> map -> outputs
    -> corpus -> eval, and the command line (cli, cachetool) on top

``geo.Geoparser`` (``geo.parse.pipeline``) ties the stages together. Nothing here imports
streamlit, and nothing heavy happens at import time: the names below load when first asked for,
and models and the gazetteer when first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

from geo.core.lazy import exports

if TYPE_CHECKING:
    from geo.core.errors import GeoError, InputError
    from geo.core.values import Candidate, MappedPlace, Mention, Place, PlaceMention
    from geo.parse.parsed import ParseResult
    from geo.parse.pipeline import Geoparser

__getattr__ = exports(
    __name__,
    {
        "Geoparser": "parse.pipeline",
        "ParseResult": "parse.parsed",
        "Candidate": "core.values",
        "MappedPlace": "core.values",
        "Mention": "core.values",
        "Place": "core.values",
        "PlaceMention": "core.values",
        "GeoError": "core.errors",
        "InputError": "core.errors",
    },
)
__all__ = [
    "Candidate",
    "GeoError",
    "Geoparser",
    "InputError",
    "MappedPlace",
    "Mention",
    "ParseResult",
    "Place",
    "PlaceMention",
    "__version__",
]
