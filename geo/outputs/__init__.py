"""Places out of the app and the command line: JSON lines, GeoJSON and a table (formats); GeoJSON, CSV
and KML downloads (export).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from geo.core.lazy import exports

if TYPE_CHECKING:
    from geo.outputs.export import to_csv, to_geojson, to_kml
    from geo.outputs.formats import to_feature_collection, to_jsonl, to_table

__getattr__ = exports(
    __name__,
    {
        "to_feature_collection": "formats",
        "to_jsonl": "formats",
        "to_table": "formats",
        "to_csv": "export",
        "to_geojson": "export",
        "to_kml": "export",
    },
)
__all__ = ["to_csv", "to_feature_collection", "to_geojson", "to_jsonl", "to_kml", "to_table"]
