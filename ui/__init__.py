"""News Atlas's user interface: the Streamlit parts of the app (geo/ holds no Streamlit code).

- ``ui.components``: the app's two Streamlit v2 components and their JavaScript.
"""
