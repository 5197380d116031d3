"""Name normalisation: one key for the many spellings of a place name."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# The ʿayn and hamza marks of Arabic romanisations (U+02BF, U+02BE) and the ʻokina count as apostrophes.
_APOSTROPHES = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'", "\u02bc": "'", "\u02bf": "'", "\u02be": "'", "\u02bb": "'"}
)
# Abbreviations that news text and gazetteers spell both ways.
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "ft": "fort", "mt": "mount", "pt": "port"}
_POSSESSIVE = re.compile(r"(?:'s|s')$")
#: A name of ASCII letters and single spaces: its key is its words in lower case (``name_key``).
_PLAIN = re.compile(r"[A-Za-z]+(?: [A-Za-z]+)*")
_NON_WORD = re.compile(r"[^a-z0-9' ]+")
#: Initials written with their stops: "L.A.", "N.J.", "D. C." (not "La." nor "LA").
_DOTTED_INITIALS = re.compile(r"(?:[A-Za-z]\.\s?){2,}")
#: Key prefix under which the gazetteer keeps places' dotted initials ("initials:la" for "L.A."),
#: apart from their other names: "La." (Louisiana) must not find Los Angeles.
INITIALS_KEY = "initials:"


def fold(text: str) -> str:
    """Return ``text`` lower-cased with diacritics removed (``"Ḩamāh"`` -> ``"hamah"``)."""
    if text.isascii():  # most names: nothing to decompose (the gazetteer build folds millions)
        return text.translate(_APOSTROPHES).lower()
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def name_key(text: str) -> str:
    """Return the lookup key of a place name.

    Case, diacritics, punctuation, a leading "the", a trailing possessive and the abbreviations
    St./Ft./Mt. are folded away, so "the U.S.", "US" and "U.S.'s" share the key "us".
    """
    if _PLAIN.fullmatch(text):  # most names: letters and single spaces, nothing to fold away
        words = text.lower().split(" ")
        if words[0] == "the":
            words = words[1:]
        if not any(word in _ABBREVIATIONS or word in _PARTICLES for word in words):
            return " ".join(words)
    folded = fold(text).strip()
    folded = _POSSESSIVE.sub("", folded)
    folded = folded.replace(".", "")  # "U.S." -> "us", "St. Louis" -> "st louis"
    folded = folded.replace("-", " ")
    words = _NON_WORD.sub(" ", folded).replace("'", "").split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(_joined(_ABBREVIATIONS.get(word, word) for word in words))


#: Particles written both apart from the word after them and joined to it: "De Soto Parish" and
#: "DeSoto Parish", "La Grange" and "LaGrange", "Du Page" and "DuPage", "Da Nang" and "Danang".
_PARTICLES = frozenset({"de", "du", "la", "le", "da"})


def _joined(words: Iterable[str]) -> list[str]:
    out: list[str] = []
    for word in words:
        if out and out[-1] in _PARTICLES:
            out[-1] += word
        else:
            out.append(word)
    return out


def is_dotted_initials(text: str) -> bool:
    """Return True when ``text`` is initials written with their stops ("L.A.", "N.J.'s")."""
    return _DOTTED_INITIALS.fullmatch(_POSSESSIVE.sub("", text.strip().translate(_APOSTROPHES))) is not None


def initials_key(text: str) -> str:
    """Return the key the gazetteer keeps dotted initials under ("initials:la" for "L.A.")."""
    return INITIALS_KEY + name_key(text).replace(" ", "")


def initials_of(name: str) -> str:
    """Return the lower-case initials of a name's words, "of", "the" and "and" skipped
    ("dc" for "District of Columbia", "la" for "Los Angeles")."""
    words = re.split(r"[\s-]+", fold(name))
    return "".join(word[0] for word in words if word and word not in ("of", "the", "and"))


#: Spellings of one sound that transliterations of Arabic, Persian, Russian and Ukrainian names
#: swap: each rule rewrites a name key one way.
_TRANSLITERATIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(?:al|el|ar|as|ad|an|at|az|ash|ad) "), ""),  # "Al Hasakah" -> "Hasakah"
    (re.compile(r"^el "), "al "),
    (re.compile(r"^al "), "el "),
    (re.compile(r"iyah\b"), "iya"),
    (re.compile(r"iya\b"), "iyah"),
    (re.compile(r"iyeh\b"), "iya"),
    (re.compile(r"ia\b"), "iya"),
    (re.compile(r"ah\b"), "a"),
    (re.compile(r"(?<=[^aeiou])a\b"), "ah"),
    (re.compile(r"ou"), "u"),
    (re.compile(r"oo"), "u"),
    (re.compile(r"kh"), "h"),
    (re.compile(r"\bh"), "kh"),
    (re.compile(r"([a-z])\1"), r"\1"),  # doubled letters
    (re.compile(r"zh"), "z"),
    (re.compile(r"y"), "i"),
    (re.compile(r"e"), "a"),
)


def transliteration_variants(key: str, *, limit: int = 40) -> list[str]:
    """Return other spellings of a name key that transliterations give (al-/el-, -iyah/-iya,
    ou/u, Kh/H, doubled letters...), one or two rewrites away, nearest first; not ``key``."""
    found: dict[str, None] = {}
    frontier = [key]
    for _depth in range(2):
        following = []
        for current in frontier:
            for pattern, replacement in _TRANSLITERATIONS:
                variant = pattern.sub(replacement, current).strip()
                if variant and variant != key and variant not in found and len(found) < limit:
                    found[variant] = None
                    following.append(variant)
        frontier = following
    return list(found)


#: Key prefix of the gazetteer's folded keys ("folded:hams" for Homs and Hims), apart from the
#: exact ones: a folded key is looked up only when the exact key names nothing.
FOLDED_KEY = "folded:"
#: Arabic articles written before a name or inside it ("al-Hasakah", "Deir ez-Zor", "Ras al Ain").
_ARTICLES = frozenset(
    {"al", "el", "ad", "as", "ar", "an", "ash", "at", "az", "ath", "adh", "ed", "es", "ez", "er", "en", "et", "ul"}
)
#: Letters that romanisations of one sound swap, in order: Arabic kh/h, gh/g, q/k, dh/d; Russian g
#: against Ukrainian h ("Lugansk", "Luhansk"); zh/z ("Zaporozhye", "Zaporizhzhia"); dj/j.
_FOLDED_LETTERS = (("kh", "h"), ("gh", "h"), ("g", "h"), ("q", "k"), ("ck", "k"), ("dh", "d"), ("zh", "z"), ("dj", "j"))
#: A run of vowels (y among them, and w closing a vowel: "Mawsil", "Zawr") is one vowel.
_INITIAL_Y = re.compile(r"\by(?=[aeiou])")  # "Yevpatoriya", "Evpatoria"
_VOWELS = re.compile(r"[aeiouy]+(?:w(?![aeiouy]))?")
_DOUBLED = re.compile(r"([a-z])\1+")
_FINAL_H = re.compile(r"(?<=a)h\b")


def folded_key(key: str) -> str:
    """Return the folded form of a name key: what stays of a name across the common
    romanisations of Arabic, Persian, Russian and Ukrainian names. Articles go ("al qamishli",
    "deir ez zor"), kh/h, gh/g/h, q/k, zh/z fold together, every run of vowels becomes "a" (ou/u/oo,
    ei/ay/ey/ai, -iya/-iyah/-iyya, y/i, "-ov"/"-iv": "kharkov" and "kharkiv" give "harkav"), doubled
    letters are single and a final h after a vowel goes ("raqqah", "raqqa"). "homs" and "hims" give
    "hams"; "mosul" and "al mawsil" give "masal". Weak evidence: many names share a folded key.
    """
    text = key
    if " " in key:
        words = key.split(" ")
        text = " ".join(w for i, w in enumerate(words) if w not in _ARTICLES or i == len(words) - 1)
    for letters, folded in _FOLDED_LETTERS:
        if letters in text:
            text = text.replace(letters, folded)
    text = _VOWELS.sub("a", _INITIAL_Y.sub("", text))
    return _FINAL_H.sub("", _DOUBLED.sub(r"\1", text))


def is_latin(text: str) -> bool:
    """Return True when every letter in ``text`` is Latin (so it can appear in English news)."""
    return all(not ch.isalpha() or "LATIN" in unicodedata.name(ch, "") for ch in text)


def edit_distance(a: str, b: str, limit: int) -> int:
    """Return the Levenshtein distance between ``a`` and ``b``, or ``limit + 1`` if it exceeds it."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    # A common prefix and suffix change no distance; cut, what is left of near misses is a few
    # letters, so the table below stays small (this runs for every name sharing a prefix).
    start = 0
    while start < len(a) and start < len(b) and a[start] == b[start]:
        start += 1
    end_a, end_b = len(a), len(b)
    while end_a > start and end_b > start and a[end_a - 1] == b[end_b - 1]:
        end_a -= 1
        end_b -= 1
    a, b = a[start:end_a], b[start:end_b]
    if not a or not b:
        return min(max(len(a), len(b)), limit + 1)
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return min(previous[-1], limit + 1)
