"""A place's name as the world now writes it: a country's national romanisation of its own name.

GeoNames and Natural Earth still name many Ukrainian towns by their Russian forms ("Kiev",
"Odessa", "Kharkov"); since 2019 the BGN/PCGN, the news agencies and the country itself write the
Ukrainian name in Ukraine's national romanisation (Cabinet of Ministers resolution 55, 2010):
"Kyiv", "Odesa", "Kharkiv". ``national_form`` romanises each of the place's names written in the
national alphabet and takes the result only when the data set already lists it among the place's
Latin names, so a romanisation is shown only where it is attested, never invented.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

__all__ = ["national_form", "romanize_ukrainian"]

#: Ukraine's national romanisation (2010): each letter's Latin form inside a word, and where it
#: differs, at the start of a word. The soft sign and the apostrophe are not written.
_UK_INSIDE = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie", "ж": "zh",
    "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n",
    "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": "iu", "я": "ia", "'": "", "’": "", "ʼ": "",
}  # fmt: skip
_UK_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
#: Letters that Russian writes and Ukrainian does not: a name with one is the Russian form.
_RUSSIAN_ONLY = frozenset("ыэёъ")
#: Letters that Ukrainian writes and Russian does not.
_UK_ONLY = frozenset("іїєґ")


def romanize_ukrainian(name: str) -> str | None:
    """Return ``name`` (Ukrainian Cyrillic) in the national romanisation, or None when it holds
    a letter Ukrainian does not write."""
    out: list[str] = []
    previous = ""
    for char in name:
        lower = char.lower()
        if lower in _RUSSIAN_ONLY:
            return None
        if lower in _UK_INSIDE:
            initial = not previous or (not previous.isalpha() and previous not in "'’ʼ")
            latin = _UK_INITIAL.get(lower, _UK_INSIDE[lower]) if initial else _UK_INSIDE[lower]
            if lower == "г" and previous.lower() == "з":
                latin = "gh"  # "Zghurivka": зг is written zgh, apart from zh
            out.append(latin.capitalize() if char != lower and latin else latin)
        elif char.isalpha():
            return None  # another script, or Latin letters ("H’erson" is no Ukrainian name)
        else:
            out.append(char)
        previous = char
    return "".join(out)


#: The countries whose national romanisation News Atlas shows, with the function that writes it.
ROMANIZERS: dict[str, Callable[[str], str | None]] = {"UA": romanize_ukrainian}


def national_form(country: str | None, name: str, names: Iterable[str], *, own: str | None = None) -> str:
    """Return the place's name in its country's national romanisation when one of its ``names``
    in the national alphabet romanises to a Latin name the data set also lists; else ``name``.

    Of several such names, the data set's ``own`` name wins (GeoNames' "Bakhmut", though the
    place's Soviet name "Artemivsk" is listed too), then those with letters only the national
    alphabet has ("Харків" before "Харьков").
    """
    romanize = ROMANIZERS.get(country or "")
    if romanize is None:
        return name
    names = list(names)
    # Each Latin name once, in the data set's capitals where it has them ("Odesa", not "odesa").
    latin: dict[str, str] = {}
    for n in sorted((n for n in [own or name, name, *names] if n.isascii()), key=lambda n: not n[:1].isupper()):
        latin.setdefault(n.casefold(), n)
    national = sorted((n for n in names if not n.isascii()), key=lambda n: not _UK_ONLY.intersection(n.lower()))
    forms = [form.casefold() for n in national if (form := romanize(n)) and form.casefold() in latin]
    if not forms:
        return name
    if own is not None and own.casefold() in forms:
        return latin[own.casefold()]
    return latin[forms[0]]
