"""Phrases that choose a name's reading: "X province", "the city of X", "the port of X",
"X air base", "X nuclear plant", "X refugee camp", "X border crossing", "the Red Sea".

Each phrase asks for a group of kinds of place (geo.core.features.Group); the resolver prefers the
candidates in that group, and the categoriser shows the place as the phrase says.
"""

from __future__ import annotations

import re
from functools import lru_cache

from geo.core.features import Group
from geo.core.values import Mention

__all__ = [
    "AREA_NAME_WORDS",
    "AREA_SUFFIX",
    "BEFORE_CHARS",
    "PHRASE_CATEGORY",
    "asks_for_areas",
    "cue_groups",
    "groups_after",
    "groups_before",
    "groups_in_name",
]

_AFTER: tuple[tuple[re.Pattern[str], Group], ...] = tuple(
    (re.compile(r"^(?:'s)?\s+(?:" + words + r")\b", re.I), group)
    for words, group in (
        (r"province|governorate|region|state|county|district|oblast|prefecture|parish|muhafazah", Group.AREA),
        (r"port|harbou?r|seaport", Group.PORT),
        (r"air ?base|air ?field|air ?port|air station|military airport", Group.AIRFIELD),
        (r"nuclear (?:power )?(?:plant|station|facility)|power (?:plant|station)|nuclear reactor", Group.POWER),
        (r"refugee camp|displacement camp|camp for (?:refugees|displaced)", Group.CAMP),
        (r"border crossing|crossing point|crossing|checkpoint", Group.CROSSING),
        (r"straits?|channel", Group.WATER),
        (r"river", Group.RIVER),
        (r"mountains|range", Group.UPLAND),
        (r"desert", Group.DESERT),
        (r"islands?", Group.ISLAND),
    )
)
#: A plural area word after a list of names asks for areas for every name of the list:
#: "Barrow, Jackson and Madison counties", "Idlib and Hama provinces".
_PLURAL_AREA = r"counties|provinces|governorates|oblasts|parishes"
_LIST_NAME = r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2}"
_AREA_LIST = re.compile(
    r"^(?:\s*,\s*" + _LIST_NAME + r")*,?\s+(?:and|or|&)\s+" + _LIST_NAME + r"\s+(?:" + _PLURAL_AREA + r")\b"
)
_AREA_PLURAL = re.compile(r"^\s+(?:" + _PLURAL_AREA + r")\b", re.I)
_BEFORE: tuple[tuple[re.Pattern[str], Group], ...] = tuple(
    (re.compile(r"\b(?:" + words + r")\s+of\s+(?:the\s+)?$", re.I), group)
    for words, group in (
        (r"city|town|village|suburb|capital", Group.TOWN),
        (r"port|harbou?r", Group.PORT),
        (r"province|governorate|region|state|county|district|oblast", Group.AREA),
        (r"island|isle", Group.ISLAND),
    )
)
#: A town named by what people call it: "the town Ukrainians call X", "a city known as X", "the
#: village, which locals call X" (the name is a town's, however the model labels it).
_NAMED_BEFORE = re.compile(
    r"\b(?:city|town|village|capital|port)\b[^.;:!?]{0,28}?\b(?:call|calls|called|known as|renamed|dubbed)\s+$", re.I
)
#: How far before a name its phrase is looked for ("the town, which Ukrainians call ").
BEFORE_CHARS = 45
#: An area word ending a name the model took whole ("Hama province", "Kherson Oblast").
AREA_SUFFIX = re.compile(
    r"\s+(?:province|governorate|region|state|county|district|oblast|prefecture|parish|muhafazah)$", re.I
)
#: The words that end an area's own name in the gazetteer where news often leaves them off:
#: "Jackson" of "Barrow and Jackson counties" is the area called "Jackson County".
AREA_NAME_WORDS = (" county", " parish")
#: Generic words inside a name that say what it names: "Red Sea", "Gulf of Aden", "Lake Assad".
_INSIDE: tuple[tuple[re.Pattern[str], Group], ...] = tuple(
    (re.compile(r"\b(?:" + words + r")\b", re.I), group)
    for words, group in (
        (r"sea|ocean|gulf|bay|strait|straits|channel|sound|bight", Group.WATER),
        (r"river", Group.RIVER),
        (r"lake|reservoir", Group.LAKE),
        (r"mountains?|mts|range|ranges|mount|hills|highlands|jabal|jebel", Group.UPLAND),
        (r"islands?|isle|isles|archipelago", Group.ISLAND),
        (r"desert", Group.DESERT),
    )
)

#: The category a phrase makes a place whatever its kind: "the city of Sevastopol" is a city
#: even beside a naval base, "Idlib province" a region, "X nuclear plant" a facility (other).
PHRASE_CATEGORY: dict[Group, str] = {
    Group.TOWN: "city",
    Group.AREA: "region",
    Group.POWER: "other",
    Group.CAMP: "other",
    Group.CROSSING: "other",
}


def cue_groups(mention: Mention, text: str) -> frozenset[Group]:
    """Return the groups of kinds of place that the words in and around a mention ask for
    (empty when they ask for none)."""
    after = text[mention.end : mention.end + 120]  # a list of names before "counties" is long
    before = text[max(0, mention.start - BEFORE_CHARS) : mention.start]
    return _groups(before, mention.text, after)


def groups_after(after: str) -> frozenset[Group]:
    """Return the groups of kinds of place the words right after a name ask for ("strait",
    "port", "province", "air base": `` strait.`` gives WATER)."""
    return frozenset(group for pattern, group in _AFTER if pattern.match(after[:40]))


def groups_before(before: str) -> frozenset[Group]:
    """Return the groups of kinds of place the words right before a name ask for ("the city
    of ", "the island of ": TOWN, ISLAND)."""
    found = {group for pattern, group in _BEFORE if pattern.search(before)}
    if _NAMED_BEFORE.search(before):
        found.add(Group.TOWN)
    return frozenset(found)


def asks_for_areas(after: str) -> bool:
    """Return True when the words after a name make it one of a list of areas: " and Linn
    counties", " provinces" ("Benton, Polk and Linn counties", "Idlib and Hama provinces")."""
    return bool(_AREA_PLURAL.match(after) or _AREA_LIST.match(after))


def groups_in_name(name: str) -> frozenset[Group]:
    """Return the groups of kinds of place a name's own words say it is ("Red Sea" WATER,
    "Lake Assad" LAKE, "Licking County" AREA)."""
    found = {group for pattern, group in _INSIDE if pattern.search(name)}
    if AREA_SUFFIX.search(name):
        found.add(Group.AREA)
    return frozenset(found)


# Asked once per candidate of a mention. Keyed by the few words around the name, not by the
# article: a cache holding whole texts would keep thousands of articles alive in a server.
@lru_cache(maxsize=4096)
def _groups(before: str, name: str, after: str) -> frozenset[Group]:
    found = set(groups_after(after))
    if asks_for_areas(after):
        found.add(Group.AREA)
    found.update(groups_before(before))
    found.update(groups_in_name(name))
    if Group.AREA in found:
        found.discard(Group.TOWN)  # "the city of X province" asks for the province
    return frozenset(found)
