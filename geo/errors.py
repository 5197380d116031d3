"""The exceptions under their first import path (``from geo.errors import GeoError``), kept for code
written before the stages became packages; they live in ``geo.core.errors``."""

from __future__ import annotations

from geo.core.errors import (
    CacheError,
    CorrectionRefused,
    GazetteerError,
    GeocoderError,
    GeocoderTimeout,
    GeocoderUnavailable,
    GeoError,
    InputError,
    ModelError,
)

__all__ = [
    "CacheError",
    "CorrectionRefused",
    "GazetteerError",
    "GeoError",
    "GeocoderError",
    "GeocoderTimeout",
    "GeocoderUnavailable",
    "InputError",
    "ModelError",
]
