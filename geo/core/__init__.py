"""The shared vocabulary of every stage: values, kinds of place, provenance, errors, settings, name keys,
distances and safe text. It imports nothing else of ``geo``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from geo.core.lazy import exports

if TYPE_CHECKING:
    from geo.core.config import Settings, settings
    from geo.core.errors import (
        CacheError,
        CorrectionRefused,
        GazetteerError,
        GeocoderError,
        GeoError,
        InputError,
        ModelError,
    )
    from geo.core.escaping import escape_for_map, escape_markdown
    from geo.core.features import Feature, Group
    from geo.core.geometry import great_circle_km
    from geo.core.normalize import name_key
    from geo.core.provenance import Match, Provenance, Step, source_text
    from geo.core.sanitize import for_model, visible
    from geo.core.values import KINDS, Candidate, MappedPlace, Mention, Place, PlaceMention

__getattr__ = exports(
    __name__,
    {
        "CacheError": "errors",
        "CorrectionRefused": "errors",
        "GazetteerError": "errors",
        "GeoError": "errors",
        "GeocoderError": "errors",
        "InputError": "errors",
        "ModelError": "errors",
        "Feature": "features",
        "Group": "features",
        "Candidate": "values",
        "KINDS": "values",
        "MappedPlace": "values",
        "Mention": "values",
        "Place": "values",
        "PlaceMention": "values",
        "Match": "provenance",
        "Provenance": "provenance",
        "Step": "provenance",
        "source_text": "provenance",
        "name_key": "normalize",
        "great_circle_km": "geometry",
        "Settings": "config",
        "settings": "config",
        "escape_for_map": "escaping",
        "escape_markdown": "escaping",
        "for_model": "sanitize",
        "visible": "sanitize",
    },
)
__all__ = [
    "KINDS",
    "CacheError",
    "Candidate",
    "CorrectionRefused",
    "Feature",
    "GazetteerError",
    "GeoError",
    "GeocoderError",
    "Group",
    "InputError",
    "MappedPlace",
    "Match",
    "Mention",
    "ModelError",
    "Place",
    "PlaceMention",
    "Provenance",
    "Settings",
    "Step",
    "escape_for_map",
    "escape_markdown",
    "for_model",
    "great_circle_km",
    "name_key",
    "settings",
    "source_text",
    "visible",
]
