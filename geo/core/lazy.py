"""A package's exports loaded on first use, so that importing a package costs nothing.

``geo.parse`` exports ``Geoparser``, but a caller that only wants ``geo.parse.cache`` must not load
spaCy on the way (the command line's ``cache`` starts without it). A package lists what it exports
and from which of its modules; a name is imported when it is first asked for (PEP 562).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping

__all__ = ["exports"]


def exports(package: str, table: Mapping[str, str]) -> Callable[[str], object]:
    """Return a module ``__getattr__`` for ``package``, whose names come from the modules ``table``
    gives (``{"Geoparser": "pipeline"}``: ``package.pipeline.Geoparser``)."""

    def __getattr__(name: str) -> object:
        try:
            module = table[name]
        except KeyError:
            raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        return getattr(importlib.import_module(f"{package}.{module}"), name)

    return __getattr__
