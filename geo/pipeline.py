"""The public API under its first import path (``from geo.pipeline import Geoparser``), kept for code
written before the stages became packages; the pipeline itself is ``geo.parse.pipeline``."""

from __future__ import annotations

from geo.parse.parsed import ParseResult
from geo.parse.pipeline import Geoparser

__all__ = ["Geoparser", "ParseResult"]
