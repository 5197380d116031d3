"""News Atlas geoparsing library: article text in, places with coordinates and context out.

The pipeline, one module per stage:

    extract (spaCy NER + gazetteer ruler) -> resolve (candidates ranked in context)
    -> geocode (offline gazetteer, cached) -> categorize -> mapview (folium)

``geo.pipeline.Geoparser`` ties the stages together. Nothing here imports streamlit, and nothing
heavy happens at import time: models and the gazetteer load when first asked for.
"""

from __future__ import annotations

__version__ = "0.1.0"
