"""What a parse returns: the place mentions of one text, in order (kept apart from geo.parse.pipeline,
so that a parse read back from the cache (geo.parse.cache) needs neither spaCy nor its model)."""

from __future__ import annotations

from dataclasses import dataclass

from geo.core.values import Entity, MappedPlace, PlaceMention
from geo.parse.places import group_places

__all__ = ["ParseResult"]


@dataclass(frozen=True)
class ParseResult:
    """The place mentions of one text, in order, and what went wrong on the way (for the user)."""

    mentions: tuple[PlaceMention, ...]
    warnings: tuple[str, ...] = ()
    #: Names the online geocoder was not asked for, its budget spent (public mode): left to the
    #: offline gazetteer. Not kept in the parse cache on disk (a result with any is not stored there).
    offline_only: int = 0
    #: The article's organisations and nationalities, as the model found them (the actors of
    #: geo.events), in text order.
    entities: tuple[Entity, ...] = ()

    @property
    def places(self) -> list[MappedPlace]:
        """Return each placed place once with its mentions, most mentioned first."""
        return group_places(self.mentions)
