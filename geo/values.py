"""The result types under their first import path (``from geo.values import Place``), kept for code
written before the stages became packages; they live in ``geo.core.values``."""

from __future__ import annotations

from geo.core.values import KINDS, Candidate, MappedPlace, Mention, Place, PlaceMention

__all__ = ["KINDS", "Candidate", "MappedPlace", "Mention", "Place", "PlaceMention"]
