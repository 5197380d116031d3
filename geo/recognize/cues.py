"""The words around a name that tell a reader whether it is a place: one table per kind of cue.

Lower-case word lists only; the rules that use them are in ``geo.recognize.evidence``.
"""

from __future__ import annotations

import csv
import functools
from importlib import resources

__all__ = [
    "CALENDAR",
    "COORDINATORS",
    "DETERMINERS",
    "DIRECTIONS",
    "DISEASE_WORDS",
    "INSTITUTIONS",
    "LOCATIVES",
    "NAMED_AFTER",
    "OUTLET_BEFORE",
    "OUTLET_WORDS",
    "PERSON_TITLES",
    "PLACE_NOUNS",
    "POSSESSIVES",
    "SPEECH_VERBS",
    "SUBJECT_VERBS",
    "TITLE_ABBREVIATIONS",
    "demonyms",
]

#: Words that put a place right after them: "in Idlib", "off Hodeidah", "outside Aleppo".
LOCATIVES = frozenset(
    {
        "in", "near", "off", "outside", "inside", "into", "across", "around", "towards",
        "toward", "throughout", "via", "within", "beyond", "nearby", "downtown", "visit",
        "visited", "visiting", "entered", "reached", "bombed", "shelled", "captured",
        "besieged", "from", "reaching", "entering", "departing",
    }
)  # fmt: skip
#: Words after which "of" puts a place: "north of X", "the outskirts of X", "the port of X".
PLACE_NOUNS = frozenset(
    {
        "outskirts", "suburbs", "city", "town", "village", "port", "province", "capital",
        "region", "county", "state", "republic", "kingdom", "island", "islands", "coast",
        "streets", "centre", "center", "heart", "borders", "border", "residents", "people",
        "west", "east", "north", "south", "northeast", "northwest", "southeast", "southwest",
        "parts", "area", "areas", "citizens", "mayor", "governor", "government",
    }
)  # fmt: skip
#: Words of direction that make "north of", "east of" a locative, and may open a compound
#: name the gazetteer knows whole ("West Darfur", "North Kivu").
DIRECTIONS = frozenset(
    {
        "north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest",
        "northern", "southern", "eastern", "western", "central", "upper", "lower",
    }
)  # fmt: skip
#: Titles before a person's name: "Mr Jordan", "President Chad Smith".
PERSON_TITLES = frozenset(
    {
        "mr", "mrs", "ms", "miss", "dr", "prof", "sir", "dame", "lord", "lady", "president",
        "minister", "premier", "chancellor", "king", "queen", "prince", "princess", "sheikh",
        "general", "gen", "col", "lt", "sgt", "capt", "maj", "cpl", "pvt", "adm", "officer",
        "sen", "senator", "rep", "gov", "governor", "mayor", "judge", "justice", "coach",
        "pope", "father", "rev", "reverend", "bishop", "imam", "rabbi", "detective", "deputy",
        "spokesman", "spokeswoman", "spokesperson", "secretary", "ambassador", "envoy",
        "commander", "chief", "director", "sister", "brother", "uncle", "aunt",
    }
)  # fmt: skip
#: The titles among them written short, with a stop the tokenizer may split off ("Lt ." "Gen .").
TITLE_ABBREVIATIONS = frozenset(
    {
        "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "sgt", "capt", "maj", "cpl", "pvt", "adm", "sen",
        "rep", "gov", "rev",
    }
)  # fmt: skip
#: Verbs of speech: a one-word name just before one is most often a person ("Jordan said").
SPEECH_VERBS = frozenset(
    {
        "said", "says", "told", "added", "asked", "stated", "explained", "wrote", "tweeted",
        "recalled", "insisted", "argued", "noted", "replied", "testified", "admitted", "laughed",
    }
)  # fmt: skip
#: Finite verbs that follow the subject of a news sentence: "Aleppo was shelled", "Sumy remained
#: under fire" (the pipeline runs no tagger; with the verbs of speech and any word in "-ed").
SUBJECT_VERBS = frozenset(
    {
        "is", "was", "were", "are", "has", "had", "have", "will", "would", "could", "can", "may",
        "might", "must", "should", "shall", "remains", "lies", "lay", "fell", "falls", "came", "comes",
        "saw", "sees", "became", "becomes", "faces", "hosts", "sits", "stands", "stood", "began", "held",
        "holds", "lost", "won", "got", "took", "gave", "went", "sent", "kept", "left", "met",
    }
)  # fmt: skip
#: Words that, after a place's name, make an organisation of it: "Mansfield Police Department".
INSTITUTIONS = frozenset(
    {
        "police", "sheriff", "department", "council", "board", "court", "school", "schools",
        "hospital", "county", "city", "township", "parish", "fire", "university", "college",
        "library", "museum", "airport", "chamber", "commission", "commissioners", "office",
        "authority", "government", "province", "district", "region", "state", "high",
        "elementary", "public", "municipal", "town", "village", "mayor", "selectman",
        "detectives", "officers", "residents", "resident", "man", "woman", "teen", "boy",
        "girl", "area", "metro", "officials", "native", "church", "historical", "health",
        "counties", "cities", "towns", "provinces", "states",
        # Words of a kind of place after its name ("the Bab el-Mandeb strait", "Izmail port").
        "strait", "port", "harbour", "harbor", "river", "airbase", "nuclear", "refugee", "border",
        "crossing", "governorate", "oblast",
    }
)  # fmt: skip
#: Words that, capitalised after a place's name, make it a news outlet's: "the New York Times",
#: "Agence France-Presse", "the Kenya Broadcasting Corporation". An outlet's home is not a place
#: of the story.
OUTLET_WORDS = frozenset(
    {
        "times", "post", "herald", "tribune", "journal", "gazette", "chronicle", "examiner",
        "inquirer", "register", "courier", "dispatch", "telegraph", "globe", "presse",
        "broadcasting", "daily", "sun-times",
    }
)  # fmt: skip
#: Words before a place's name that make it an outlet's: "Voice of America", "Radio Free Europe".
OUTLET_BEFORE = (("voice", "of"), ("radio", "free"))
#: Words after a list of names that make them the names of streets or schools, not of places:
#: "Rivers and Stokes avenues", "Deer Run and Thomas elementary schools".
NAMED_AFTER = frozenset(
    {
        "avenue", "avenues", "street", "streets", "road", "roads", "drive", "drives", "lane",
        "lanes", "boulevard", "boulevards", "school", "schools", "elementary", "middle", "high",
    }
)  # fmt: skip
#: Capitalised common words the gazetteer also knows as some small town ("March", "Police").
CALENDAR = frozenset(
    {
        "january", "february", "march", "april", "may", "june", "july", "august", "september",
        "october", "november", "december", "monday", "tuesday", "wednesday", "thursday",
        "friday", "saturday", "sunday",
    }
)  # fmt: skip
#: Words that, after a name, make it a disease's or a pathogen's: "West Nile virus", "Rift Valley
#: fever", "Reston ebolavirus", "Lyme disease". Named after a place, they are no place.
DISEASE_WORDS = frozenset(
    {
        "virus", "viruses", "ebolavirus", "fever", "fevers", "disease", "encephalitis",
        "haemorrhagic", "hemorrhagic",
    }
)  # fmt: skip
#: What joins the parts of a coordinated span: "Kharkiv and Odesa", "Becker, Clay and Grant".
COORDINATORS = frozenset({"and", "or", ",", "&", "/", "-", "–", "—", "nor"})
DETERMINERS = frozenset({"the", "a", "an"})
#: What a name may end with that is no part of it: "Saudi Arabia's", "Idris'".
POSSESSIVES = frozenset({"'s", "’s", "'", "’"})


@functools.cache
def demonyms() -> dict[str, tuple[str, str]]:
    """Return each country's demonym, lower-cased, with its ISO code and English name.

    From ``geo/data/demonyms.csv`` (taken once from the countryinfo package): "sudanese" →
    ("SD", "Sudan"). Read on first use, never at import.
    """
    text = resources.files("geo").joinpath("data/demonyms.csv").read_text(encoding="utf-8")
    found: dict[str, tuple[str, str]] = {}
    for row in csv.DictReader(text.splitlines()):
        found[row["demonym"].lower()] = (row["country"], row["name"])
    return found
