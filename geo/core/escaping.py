"""Making untrusted article text inert wherever the app shows it.

folium writes popup and tooltip strings unescaped into HTML that sits inside JavaScript template
literals, in an iframe that shares the Streamlit page's origin. So article text bound for the map
gets HTML-escaped and, for the template literal, its backticks, dollar signs and backslashes
become character references too: the browser shows them as the same characters.
"""

from __future__ import annotations

import html
import re

_TEMPLATE_LITERAL = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;"})
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def escape_for_map(text: str) -> str:
    """Return ``text`` safe to place in folium popup or tooltip HTML (shows as the same text)."""
    return html.escape(str(text), quote=True).translate(_TEMPLATE_LITERAL)


def escape_markdown(text: str) -> str:
    """Return ``text`` with Markdown, HTML and LaTeX syntax neutralised, for ``st.markdown``."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))
