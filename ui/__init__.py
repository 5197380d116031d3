"""News Atlas's user interface: Streamlit panels over geo/'s pure work (app.py puts them together).

- ``ui.state``: the selected place as one value, and the pure transitions user events make (no Streamlit);
- ``ui.session``: that value kept in the Streamlit session;
- ``ui.resources``: the cached loaders (geoparser, parses, online geocoder, corrections, map assets, fetched pages);
- ``ui.components``: the app's two Streamlit v2 components and their JavaScript;
- ``ui.sidebar``: the sidebar's inputs, geocoder settings and filters, returned as frozen values;
- ``ui.articles``: the articles chosen, pasted, uploaded or fetched, and their parses;
- ``ui.map_panel``, ``ui.context``, ``ui.table``: the map, the context and correction panels, the table and exports;
- ``ui.link``: the view in the URL.
"""
