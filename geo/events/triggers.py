"""The lexicon: the words that report each event type, and where a sentence's clauses break.

Each pattern is a regular expression over the lower-cased sentence, matched at word starts. A
trigger is what decides an event, and is shown with it ("shelling", "withdrew from"). Some
words are read with what is around them:

- *carriers*: "crossed", "entered", "moved", "left" are movements when troops, ships or
  aircraft do them and humanitarian when people, families or refugees do;
- *weak* words: "said", "warned", "accused" are diplomacy only for the place that speaks
  ("the Kremlin said", "the ministry in Moscow said", "accused Moscow");
- a killing is civilians only when the clause names no strike and no battle, and names
  civilians, villagers or residents as the dead;
- *identity* phrases ("born in", "based in", "a teacher from") make a place ``mentioned``
  whatever else its clause reports.
"""

from __future__ import annotations

import re

__all__ = [
    "BREAKS", "CARRIED", "FIRES", "IDENTITY", "LEXICON", "LOCATES", "MILITARY", "MILITARY_TARGET", "NEARBY", "PEOPLE",
    "PURPOSE", "RELATIVE", "SPEAKS", "SPOKEN_BY",
]  # fmt: skip


def _words(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b")


#: The words of each type (``carried`` ones are in CARRIED, the weak ones in SPEAKS).
LEXICON: dict[str, re.Pattern[str]] = {
    "fighting": _words(
        r"clash(?:es|ed|ing)?", r"fought", r"fight(?:ing|s)?", r"battl(?:e|es|ed|ing)", r"combat",
        r"assaults?", r"offensive", r"ambush(?:ed|es)?", r"gunfight", r"firefight", r"counter-?attacks?",
        r"counter-?offensive", r"(?:re)?captur(?:e|ed|es|ing)", r"seiz(?:e|ed|es|ing)", r"retook", r"retake",
        r"overr[au]n", r"besieg(?:e|ed|ing)", r"siege", r"encircle(?:d|ment)?", r"regain(?:ed)? control",
        r"control of", r"warfare", r"surrender(?:ed)?", r"declared victory", r"repell?(?:ed)?", r"raid(?:ed|s)?",
        r"(?:took|take|taken|taking)(?:\s+\w+){0,3}\s+(?:city|cities|town|towns|villages?|control|positions?)",
    ),
    "strikes": _words(
        r"shell(?:ed|ing|s)?", r"artillery", r"mortars?", r"(?:air|drone|missile)\s?strikes?", r"airstrikes?",
        r"strikes? (?:on|against|hit)", r"struck", r"bomb(?:s|ed|ing|ings|ers?)?", r"bombard(?:ed|ment)?",
        r"missiles?", r"rockets?", r"drones?", r"explo(?:de|ded|sion|sions|sive|sives)", r"blasts?",
        r"pound(?:ed|ing)", r"air raids?", r"landmines?", r"mines? (?:exploded|blast)", r"grenades?",
        r"blew (?:himself|herself|up)",
        r"destroyed", r"targeted", r"resumed strikes", r"exchanged strikes",
    ),
    "civilians": _words(
        r"execut(?:ed|ion|ions)", r"massacr(?:e|ed|es)", r"abduct(?:ed|ion|ions|s)?", r"kidnap(?:ped|ping|s)?",
        r"hostages?", r"tortur(?:e|ed)", r"rap(?:e|ed)", r"loot(?:ed|ing|ers)?", r"hacking",
        r"door to door",
        r"(?:burned|burnt|burning|torching|torched)(?:\s+\w+){0,3}\s+(?:houses|homes|shelters|cars|villages?)",
        r"beat(?:ing)?", r"dragged",
    ),
    "protests": _words(
        r"protest(?:s|ed|ers|ing)?", r"demonstrat(?:ion|ions|ors|ed)", r"rall(?:y|ies|ied)", r"riots?",
        r"rioters", r"clash(?:ed|es)? with (?:riot )?police", r"marched", r"marches", r"water cannon", r"tear gas",
        r"rubber bullets", r"sit-ins?", r"encampment",
        r"marched through", r"marches", r"crowds?", r"mobs?",
        r"stormed the (?:\w+\s+){0,2}(?:embassy|parliament|residence)",
        r"(?:blocked|blocking)(?:\s+\w+){0,3}\s+(?:roads?|highways?|intersection|crossing)", r"burned tyres",
        r"activists occupied",
    ),
    "movements": _words(
        r"withdr(?:ew|awn|awal|aw|awing|aws)", r"pull(?:ed|ing|s)? (?:out|back)", r"retreat(?:ed|s|ing)?",
        r"deploy(?:ed|ment|ments|s|ing)?", r"reinforcements", r"stationed",
        r"station (?:\w+\s+){0,2}(?:brigade|troops|soldiers)", r"sent(?:\s+\w+){0,3}\s+"
        r"(?:troops|soldiers|warships|aircraft|police|officers|reinforcements|brigade|carrier|armour|vehicles)",
        r"(?:send|sending)(?:\s+\w+){0,3}\s+(?:troops|soldiers|police|officers|warships)",
        r"advanc(?:ed|es|ing)", r"advanced on", r"pushed (?:into|deeper)", r"closed its (?:camp|base)",
        r"(?:their|its|last) (?:base|posts)", r"checkpoints were set up", r"guarded", r"patrols", r"marched toward",
        r"instructors arrived", r"troops entered", r"units entered",
    ),
    "diplomacy": _words(
        r"talks", r"negotiat(?:ions|ed|ing|e)", r"summit", r"met", r"meets?", r"(?:a|the) meeting",
        r"meetings? (?:with|of|between|in)", r"brought (?:\w+\s+){0,3}together", r"visit(?:ed|s|ing)?",
        r"agreements?", r"agreed", r"deal", r"accord", r"treaty", r"ceasefire", r"truce", r"signed", r"envoys?",
        r"mediat(?:e|ed|ors?|ion)", r"brokered", r"conference", r"pledged", r"recognise", r"recognize",
        r"exchanged prisoners", r"prisoner exchange", r"diplomatic", r"flew (?:on )?to",
        r"for talks",
    ),
    "humanitarian": _words(
        r"fle(?:e|d|eing)", r"displac(?:ed|ement)", r"refugees?", r"evacuat(?:e|ed|ion|ing)",
        r"aid(?! workers| package)",
        r"convoys? (?:of|carrying)", r"famine", r"malnourished", r"shortages?", r"ran out", r"tents", r"camps",
        r"shelters?", r"rubble", r"survivors", r"rescue(?:rs)?", r"death toll", r"toll", r"casualties", r"cholera",
        r"polio", r"vaccinated", r"drought", r"floods?", r"earthquake", r"without(?: drinking)? (?:water|power)",
        r"blankets", r"food", r"distributions?", r"deliveries", r"bused out", r"migrants", r"sleeping in",
        r"queued to leave", r"wounded", r"hospitals?",
    ),
}  # fmt: skip

#: Movement words whose type depends on who does them (see ``PEOPLE`` and ``MILITARY``).
CARRIED = _words(
    r"crossed(?: into)?",
    r"entered",
    r"moved(?: south| north| toward| deeper| to)?",
    r"left",
    r"leaving",
    r"arrived",
    r"drove",
    r"cross",
    r"diverted",
)
#: Who moves as an army ...
MILITARY = _words(
    r"troops",
    r"forces",
    r"soldiers",
    r"units",
    r"army",
    r"tanks",
    r"warships?",
    r"aircraft",
    r"jets",
    r"brigade",
    r"peacekeepers",
    r"police",
    r"officers",
    r"instructors",
    r"mercenaries",
    r"vehicles",
    r"armour",
    r"fighters",
    r"militants",
    r"rebels",
    r"ships",
    r"vessels",
    r"convoy",
)
#: ... and who moves as people.
PEOPLE = _words(
    r"people",
    r"families",
    r"residents",
    r"civilians",
    r"refugees",
    r"migrants",
    r"children",
    r"afghans",
    r"sudanese",
    r"armenians",
    r"israelis",
    r"russians",
    r"palestinians",
    r"hundreds",
    r"thousands",
    r"villagers",
    r"trucks",
    r"aid",
)
#: Who is killed as civilians (the clause names no strike or battle).
CIVILIAN_DEAD = _words(
    r"civilians",
    r"villagers",
    r"residents",
    r"farmers",
    r"worshippers",
    r"pupils",
    r"passengers",
    r"women",
    r"children",
    r"people digging",
    r"men from",
    r"man for",
    r"politician",
    r"families",
    r"bus",
    r"school",
    r"church",
    r"mosque",
    r"market",
    r"worshippers",
)
KILLED = _words(r"kill(?:ed|ing|s)?", r"shot(?: dead)?", r"attack(?:ed|s)?", r"murder(?:ed)?")
#: The weak words of diplomacy: a statement, for the place that makes it.
SPEAKS = _words(
    r"said",
    r"says",
    r"warned",
    r"announced",
    r"vowed",
    r"stated",
    r"rejected",
    r"called for",
    r"told",
    r"condemned",
    r"statement",
)
#: The place that makes the statement: just before its verb ("Seoul said", "the ministry in
#: Moscow said") or after "accused", "speaking in", "told reporters in".
SPOKEN_BY = re.compile(
    r"^(?:'s)?(?:\s+(?:\w+\s+){0,2})?(?:said|says|warned|announced|vowed|stated|rejected|condemned)\b"
)
SPEAKER_BEFORE = re.compile(r"\b(?:accused|speaking in|told reporters in)\s+(?:the\s+)?$")
#: A place that fires is where the strike comes from, not where it falls ("Iran fired missiles at Israel").
FIRES = re.compile(r"^\s+(?:fired|launched)\b")
#: What lies between a place and one that only locates it ("Sake, west of Goma", "Gimbi, in western
#: Oromia", "the Zamzam camp near El Fasher", "El Geneina, the capital of West Darfur").
LOCATES = re.compile(
    r"^(?:\s+(?:camp|region|province|district|state|county|city|town|village|area|valley))?,?\s*"
    r"(?:in|near|outside|of|(?:north|south|east|west)(?:-?(?:east|west))? of|the capital of)\s+(?:the\s+)?"
    r"(?:(?:central|western|eastern|northern|southern|north-?eastern|north-?western|south-?eastern|south-?western)\s+)?$"
)
#: Words before a trigger that make it a purpose, not an event ("sent troops to fight", "to help evacuate").
PURPOSE = re.compile(r"\bto\s+(?:help\s+)?$|\bto (?:secure|avoid|escape|prevent|stop|end) (?:the |a )?$")
#: "as the fighting spread": the fighting is near, not at the place.
NEARBY = re.compile(r"^\s+(?:approached|spread|neared|drew closer)\b")
#: Who is attacked as soldiers (a battle) when no strike or battle word is there.
MILITARY_TARGET = _words(
    r"soldiers",
    r"troops",
    r"base",
    r"post",
    r"positions",
    r"checkpoint",
    r"convoy",
    r"prison",
    r"barracks",
    r"policeman",
    r"police station",
    r"garrison",
)
#: Words just before a place that say who or what it identifies, not where anything happened.
IDENTITY = re.compile(
    r"(?:\b(?:born|based|headquartered|grew up|studied|lives|living|offices|made|assembled|native|ambassador|"
    r"comes|named after a \w+)\b(?:\s+\w+){0,3}\s+(?:in|from|to|of|near)|"
    r"\b(?:teacher|tourist|journalist|student|men|women|man|woman|family|moved|negotiators|delegates|officials|"
    r"delegation) from)\s+(?:the\s+)?$"
)
#: Where a sentence's clauses break, always (a relative clause is a clause of its own).
BREAKS = re.compile(
    r";|\s[—–]\s|,\s*(?:while|whereas|but|as|after|before|when|although|and then)\b|\swhile\s|\swhereas\s"
    r"|\safter\s|\sas\s(?=the |she |he |they |it |its |their )"
)
RELATIVE = re.compile(r",\s*(?:who|which)\b[^,]*(?:,|$)")
#: Words before a trigger that say it did not happen at the place ("to escape the fighting").
ESCAPED = re.compile(r"\b(?:escape|escaping|fleeing|flee|fled|amid|approached|since)\b(?:\s+\w+){0,2}\s*$")
