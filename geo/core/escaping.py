"""Making untrusted article text inert wherever the app shows it.

folium writes popup and tooltip strings unescaped into HTML that sits inside JavaScript template
literals, in an iframe that shares the Streamlit page's origin. So article text bound for the map
gets HTML-escaped and, for the template literal, its backticks, dollar signs and backslashes
become character references too: the browser shows them as the same characters.
"""

from __future__ import annotations

import html
import json
import re

_TEMPLATE_LITERAL = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;"})
#: What JSON written into a <script> may not hold as itself: nothing in it may end the script
#: ("</script>"), open a comment, or end a quoted attribute or a JavaScript line.
_SCRIPT_JSON = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "'": "\\u0027", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def escape_for_map(text: str) -> str:
    """Return ``text`` safe to place in folium popup or tooltip HTML (shows as the same text)."""
    return html.escape(str(text), quote=True).translate(_TEMPLATE_LITERAL)


def escape_markdown(text: str) -> str:
    """Return ``text`` with Markdown, HTML and LaTeX syntax neutralised, for ``st.markdown``."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def script_json(value: object) -> str:
    """Return ``value`` as compact JSON that cannot end or alter the <script> it is written into
    (the same value once parsed)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_JSON)
