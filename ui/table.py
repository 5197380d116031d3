"""The table of places, the names that could not be placed, and the exports."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import streamlit as st

from geo import export
from geo.escaping import escape_markdown
from geo.provenance import source_text
from geo.values import MappedPlace

KEY = "table"


def selected_rows() -> tuple[int, ...]:
    """Return the table's selected rows as it reports them this run (before it is drawn again)."""
    table = st.session_state.get(KEY)
    return tuple(table.selection.rows) if table is not None else ()


def table_panel(
    places: Sequence[MappedPlace], *, found: int, unplaced: Sequence[str], origins: export.Origins | None = None
) -> None:
    """Draw the table of ``places`` (of ``found`` in all), the ``unplaced`` names, and the exports of
    ``places`` (each excerpt with its article's title, date and url, from ``origins``)."""
    st.subheader(f"{len(places)} places" + (f" (of {found})" if len(places) != found else ""))
    st.dataframe(
        [
            {
                "Place": m.place.name,
                "Category": m.place.kind,
                "Country": m.place.country or "",
                "Mentions": len(m.mentions),
                "Written as": ", ".join(export.written_as(m)),
                "Lat": round(m.place.lat, 4),
                "Lon": round(m.place.lon, 4),
                "Source": source_text(m.place.provenance),
            }
            for m in places
        ],
        width="stretch",
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        key=KEY,
    )
    if unplaced:
        st.caption("Named but not placed: " + escape_markdown(", ".join(unplaced)))
    found_in = origins or {}
    geojson, csv, kml = _exports(tuple(places), tuple(found_in.get(x) for m in places for x in m.mentions))
    downloads = st.columns(3)
    downloads[0].download_button("GeoJSON", geojson, "news-atlas.geojson", "application/geo+json")
    downloads[1].download_button("CSV", csv, "news-atlas.csv", "text/csv")
    downloads[2].download_button("KML", kml, "news-atlas.kml", "application/vnd.google-earth.kml+xml")


@lru_cache(maxsize=8)
def _exports(places: tuple[MappedPlace, ...], origins: tuple[export.Origin | None, ...]) -> tuple[str, str, str]:
    # Made once per set of places shown and their articles' details, not on every rerun (a click).
    found = {x: o for x, o in zip((x for m in places for x in m.mentions), origins, strict=True) if o is not None}
    return export.to_geojson(places, found), export.to_csv(places, found), export.to_kml(places, origins=found)
