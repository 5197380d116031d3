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
- *identity* phrases ("born in", "based in", "a teacher from", "Moscow-based", "Kenya's police
  contingent") make a place ``mentioned`` whatever else its clause reports;
- words after a negation or a modal ("no fighting", "denied sending troops", "may join the
  fighting"), inside a demand ("demanding a hostage deal") or a purpose ("to fight the rebels")
  report no event.
"""

from __future__ import annotations

import re

__all__ = [
    "ADVANCE", "ARMED", "ATTACHED", "BREAKS", "CARRIED", "COMPELLED", "DEMANDED", "DEMANDS", "DIGNITARY", "FIRES",
    "IDENTITY", "LEXICON", "LISTED", "LOCATES", "MILITARY", "MILITARY_TARGET", "NAMED_FOR", "NEARBY", "NEGATED",
    "OBJECTS", "ONE_PERSON", "OWNER", "PEOPLE", "PURPOSE", "RELATIVE", "SINCE", "SPEAKS", "SPOKEN_BY", "TOPIC",
    "WHO_FROM", "WITNESSES",
]  # fmt: skip


def _words(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b")


#: The words of each type (``carried`` ones are in CARRIED, the weak ones in SPEAKS).
LEXICON: dict[str, re.Pattern[str]] = {
    "fighting": _words(
        r"clash(?:es|ed|ing)?", r"fought", r"fight(?:ing|s)?", r"battl(?:e|es|ed|ing)", r"combat",
        r"assaults?", r"offensive", r"ambush(?:ed|es)?", r"gunfight", r"firefight", r"counter-?attacks?",
        r"counter-?offensive", r"(?:re)?captur(?:e|ed|es|ing)", r"seiz(?:e|ed|es|ing)", r"retook", r"retake",
        r"overr[au]n", r"besieg(?:e|ed|ing)", r"siege", r"encircle(?:d|ment)?",
        r"regain(?:ed)? control", r"regain(?:ed|ing)?", r"repuls(?:ed|e|ing)",
        r"control of", r"warfare", r"fell to", r"fall of", r"surrender(?:ed)?", r"declared victory", r"repell?(?:ed)?",
        r"(?<!air )raid(?:ed|s)?", r"storm(?:ed|ing)(?! the (?:\w+\s+){0,2}(?:embassy|parliament|residence))",
        r"(?:ground|military|army) (?:operation|offensive|incursion)", r"incursions?", r"break ?through",
        r"gunfire", r"heavy fire", r"gun battles?", r"liberat(?:ed|ion|ing)", r"(?:traded|exchanged) (?:\w+\s+)?fire",
        r"(?:took|take|taken|taking)(?:\s+\w+){0,3}\s+(?:city|cities|town|towns|villages?|control|positions?)",
        # "took" whose object is the place itself ("the Arakan Army took Maungdaw"): the clause is read
        # with its place names blanked, so a place leaves a run of spaces; "took part", "took office" do not
        r"(?:re)?(?:took|taken)(?: back)?(?=\s{3,}\S)",
    ),
    "strikes": _words(
        r"shell(?:ed|ing|s)?", r"artillery", r"mortars?", r"(?:air|drone|missile)\s?strikes?", r"airstrikes?",
        r"(?<!on )(?<!general )(?<!hunger )strikes? (?:on|against|hit|across|in|near|around)",
        r"carried out (?:\w+\s+){0,3}strikes", r"struck",
        r"bomb(?:s|ed|ing|ings|ers?)?", r"bombard(?:ed|ment)?",
        r"missiles?", r"rockets?", r"drones?", r"explo(?:de|ded|sion|sions|sive|sives)", r"blasts?",
        r"pound(?:ed|ing)", r"air raids?", r"landmines?", r"mines? (?:exploded|blast)",
        r"(?:hit|struck|stepped on) an? (?:land)?mine", r"grenades?",
        r"blew (?:himself|herself|up)",
        r"destroyed", r"targeted", r"detonat(?:ed|ion)", r"ieds?", r"improvised explosive", r"resumed strikes",
        r"exchanged strikes",
    ),
    "civilians": _words(
        r"execut(?:ed|ion|ions)", r"massacr(?:e|ed|es)", r"abduct(?:ed|ion|ions|s)?", r"kidnap(?:ped|ping|s)?",
        r"hostages?", r"tortur(?:e|ed)", r"rap(?:e|ed)", r"loot(?:ed|ing|ers)?", r"hack(?:ed|ing)",
        r"slaughter(?:ed)?", r"behead(?:ed|ing)", r"lynch(?:ed|ing)", r"stabbed", r"gunned down", r"burned alive",
        r"mass graves?", r"ethnic cleansing",
        r"door to door",
        r"(?:burned|burnt|burning|torching|torched|set fire to)(?:\s+\w+){0,3}\s+"
        r"(?:houses|homes|huts|shops|shelters|cars|villages?|church(?:es)?|mosques?|temples?|clinics?|schools?|"
        r"health cent(?:re|er)s?)",
        r"beat(?:ing)?", r"dragged",
    ),
    "protests": _words(
        r"protest(?:s|ed|ers|ing)?", r"demonstrat(?:ion|ions|ors|ed)", r"(?<!campaign )(?<!election )rall(?:y|ies|ied)",
        r"riots?(?! police)",
        r"rioters", r"clash(?:ed|es)? with (?:riot )?police", r"marched", r"marches", r"water cannon", r"tear gas",
        r"rubber bullets", r"sit-ins?", r"encampment",
        r"marched through", r"marches", r"crowds?", r"mobs?",
        r"stormed the (?:\w+\s+){0,2}(?:embassy|parliament|residence)",
        r"(?:blocked|blocking)(?:\s+\w+){0,3}\s+(?:roads?|highways?|intersection|crossing)", r"burned tyres",
        r"activists occupied", r"took to the streets", r"(?:went|go|going|are) on strike", r"general strike",
        r"striking workers", r"vigils?",
        r"(?:set fire to|torched|burned|burnt) (?:[\w']+\s+){0,3}(?:buildings|offices|police stations?|parliament)",
    ),
    "movements": _words(
        r"withdr(?:ew|awn|awal|aw|awing|aws)", r"pull(?:ed|ing|s)? (?:out|back)", r"retreat(?:ed|s|ing)?",
        r"deploy(?:ed|ment|ments|s|ing)?", r"reinforcements", r"stationed",
        r"station (?:\w+\s+){0,2}(?:brigade|troops|soldiers)", r"sent(?:\s+[\w,.]+){0,3}\s+"
        r"(?:troops|soldiers|warships|aircraft|police|officers|reinforcements|brigade|carrier|armour|vehicles"
        r"|instructors|trainers|advisers|peacekeepers|army|marines|national guard)",
        r"(?:send|sending)(?:\s+[\w,.]+){0,3}\s+(?:troops|soldiers|police|officers|warships|instructors|trainers"
        r"|advisers|peacekeepers)",
        r"advanc(?:ed|es|ing)", r"advanced on", r"pushed (?:into|deeper)", r"closed its (?:camp|base)",
        r"(?:their|its|last) (?:base|posts)", r"checkpoints were set up", r"guarded", r"patrols", r"marched toward",
        r"instructors arrived", r"troops entered", r"units entered",
        r"mass(?:ed|ing) (?:\w+\s+)?(?:troops|forces|tanks)", r"airlift(?:ed|ing)?", r"escort(?:ed|ing)",
    ),
    "diplomacy": _words(
        r"talks", r"negotiat(?:ions|ed|ing|e)", r"summit", r"met", r"meets?", r"(?:a|the) meeting",
        r"meetings? (?:with|of|between|in)", r"(?:a|an|the) (?:emergency|special|urgent) meeting",
        r"brought (?:\w+\s+){0,3}together", r"visit(?:ed|s|ing)?",
        r"agreements?", r"agreed", r"deal", r"accord", r"treaty", r"ceasefire", r"truce", r"signed", r"envoys?",
        r"mediat(?:e|ed|ors?|ion)", r"brokered", r"conference", r"pledged", r"recognise", r"recognize",
        r"exchanged prisoners", r"prisoner exchange", r"swap(?:ped|s)?", r"prisoner swap", r"diplomatic",
        r"flew (?:on )?to",
        r"for talks", r"summon(?:ed|s)?", r"expel(?:led|s)? (?:\w+\s+){0,3}(?:ambassador|diplomats?|envoy)",
        r"recall(?:ed|s)? (?:its|their|the) ambassador", r"broke off (?:diplomatic )?relations",
        r"travell?ed to", r"sanctions", r"initiall?ed",
        r"peace (?:deal|talks|plan|text|process|agreement|treaty|accord)",
        r"(?:re)?open(?:ed|s|ing)? (?:its|an|the|their) embassy",
        r"closed (?:its|the|their) embassy", r"host(?:ed|s|ing) (?:\w+\s+){0,3}(?:talks|negotiat\w*|summit|meeting|"
        r"delegations?|leaders|envoys|conference)",
    ),
    "humanitarian": _words(
        r"fle(?:e|d|eing)", r"escaped (?:to|from|into|across)", r"displac(?:ed|ement)", r"refugees?",
        r"evacuat(?:e|ed|ion|ing)",
        r"aid(?! workers| package)",
        r"convoys? (?:of|carrying)(?! (?:tankers|ships|vessels|tanks|troops|armou?red|military|soldiers))", r"famine",
        r"malnourished", r"malnutrition", r"shortages?", r"(?:ran|run|runs|running) out",
        r"tents", r"camps",
        r"shelters?", r"rubble", r"survivors", r"rescue(?:rs)?", r"death toll", r"toll", r"casualties", r"cholera",
        r"polio", r"vaccinated", r"drought", r"floods?", r"earthquake",
        r"without(?: drinking)? (?:water|power|food|medicine|electricity)",
        r"trapped", r"hunger", r"uprooted", r"homeless",
        r"(?:water|electricity|power|fuel)(?: supplies)? (?:\w+\s+){0,4}cut(?: off)?",
        r"(?:forced|driven) (?:out|from)", r"evict(?:ed|ions?)", r"expelled from",
        r"starv(?:ing|ation|ed)", r"shelter(?:ed|ing) in",
        r"blankets", r"food(?! prices)", r"distributions?", r"deliveries", r"bused out", r"migrants",
        r"queued to leave", r"sleep(?:s|ing)? in", r"queues? (?:formed|for|at|outside)", r"long queues", r"wounded",
        r"hospitals?",
    ),
}  # fmt: skip

#: Movement words whose type depends on who does them (see ``PEOPLE`` and ``MILITARY``).
CARRIED = _words(
    r"crossed(?: into)?",
    r"return(?:ed|ing)(?: home)?(?= to)",
    r"crossing (?:into|the border)",
    r"(?<!deal )(?<!agreement )(?<!accord )(?<!was )(?<!were )reached",
    r"entered",
    r"moved(?: south| north| toward| deeper| to)?",
    r"left",
    r"leaving",
    r"arrived",
    r"drove",
    r"cross",
    r"diverted",
    r"landed(?= in| at| on)",
    r"sailed(?: into| to| toward)?",
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
    r"survivors",
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
    r"candidate",
    r"journalists?",
    r"homes",
    r"houses",
    r"temples",
    r"churches",
    r"families",
    r"bus",
    r"school",
    r"church",
    r"mosque",
    r"market",
    r"herders",
    r"guests",
    r"shoppers",
    r"students",
    r"teachers",
    r"patients",
    r"fishermen",
    r"miners",
    r"traders",
    r"mourners",
    r"aid workers",
    r"(?:refugee|displacement|displaced persons'?) camps?",
)
#: Armed men, who kill face to face: "people" they kill are civilians ("bandits killed 14 people").
ARMED = _words(
    r"gunmen", r"bandits", r"militiam[ae]n", r"militias?", r"attackers", r"assailants", r"jihadists?", r"insurgents",
    r"militants", r"fighters", r"soldiers", r"troops", r"rebels", r"armed men",
)  # fmt: skip
KILLED = _words(
    r"kill(?:ed|ing|s)?", r"shot(?: dead)?", r"attack(?:ed|s)?", r"murder(?:ed)?", r"opened fire", r"fired (?:on|at)"
)  # fmt: skip
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
    r"denied",
    r"statement",
)
#: The place that makes the statement: just before its verb ("Seoul said", "the ministry in
#: Moscow said") or after "accused", "speaking in", "told reporters in".
SPOKEN_BY = re.compile(
    r"^(?:'s)?(?:\s+(?:\w+\s+){0,2})?(?:said|says|warned|announced|vowed|stated|rejected|condemned|denied"
    r"|accused|blamed|urged|threatened|insisted)\b"
)
SPEAKER_BEFORE = re.compile(r"\b(?:accused|speaking in|told reporters in)\s+(?:the\s+)?$")
#: A place that fires is where the strike comes from, not where it falls ("Iran fired missiles at Israel").
FIRES = re.compile(r"^\s+(?:fired|launched)\b")
#: What lies between a place and one that only locates it ("Sake, west of Goma", "Gimbi, in western
#: Oromia", "the Zamzam camp near El Fasher", "El Geneina, the capital of West Darfur").
#: Also what a site stands on or in ("the Kakhovka dam on the Dnipro", "Tower 22, a small base in Jordan",
#: "Coyuca, in the state of Guerrero").
LOCATES = re.compile(
    r"^(?:\s+(?:camp|region|province|district|state|county|city|town|village|area|valley|dam|bridge|crossing"
    r"|plant|station|airport|port|base|refinery|prison|hospital|factory|mine|depot|oilfield|square))?"
    r",?\s*(?:(?:an?|the)\s+(?:[\w-]+\s+){0,3}?)?"
    r"(?:in|near|outside|on|of|(?:north|south|east|west)(?:-?(?:east|west))? of|the capital of)\s+(?:the\s+)?"
    r"(?:(?:state|province|region|district|county) of\s+)?"
    r"(?:(?:central|western|eastern|northern|southern|north-?eastern|north-?western|south-?eastern|south-?western)\s+)?$"
)
#: Words before a trigger that make it a purpose, not an event ("sent troops to fight", "to help evacuate").
PURPOSE = re.compile(r"\bto\s+(?:help\s+)?$|\bto (?:secure|avoid|escape|prevent|stop|end) (?:the |a )?$")
#: ... unless what comes before makes people do it ("forced thousands of civilians to flee").
COMPELLED = re.compile(r"\b(?:forc|compel|order|caus|prompt|drove|driv)\w*(?:\s+[\w,-]+){0,5}\s+to\s+$")
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
    r"soldier",
    r"militants",
    r"insurgents",
    r"jihadists",
    r"rebels",
    r"officers?",
    r"police station",
    r"garrison",
)
#: Words just before a place that say who or what it identifies, not where anything happened.
#: Where something is made, bought or shipped from says what it is, too ("parts shipped from China"),
#: and so does an apposition "a nurse from Nairobi" (", a ... from"). An identity word that ends a
#: hyphenated compound ("Iranian-made drones exploded in Kyiv", "a Kyiv-based reporter was wounded
#: in Kherson") has its place already, so the preposition after it is another verb's.
IDENTITY = re.compile(
    r"(?:\b(?<!-)(?:born|based|headquartered|grew up|studied|lives|living|(?:has|have|with) offices|made|assembled|"
    r"native|ambassador|comes|named after a \w+|shipped|imported|exported|bought|sold|manufactured|produced)\b"
    r"(?:\s+\w+){0,3}\s+(?:in|from|to|of|near|at)|"
    r"\b(?:envoy|ambassador|representative|special rapporteur) (?:for|to|of)|"
    r",\s*an?\s+(?:[\w-]+\s+){1,3}from)\s+(?:the\s+)?$"
)
#: People "from" a place, which says who they are ("fighters from Tigray", "aid workers from Chad"),
#: unless a verb before them moves them from it ("evacuated diplomats from Khartoum", "withdrew
#: troops from Kherson").
WHO_FROM = re.compile(
    r"\b(?:teachers?|tourists?|journalists?|students?|men|women|man|woman|family|families|moved|negotiators|"
    r"delegates|officials|delegations?|envoys|diplomats|ministers|leaders|representatives|workers?|nurses?|"
    r"doctors?|engineers?|fighters|troops|soldiers|militants|forces|police|officers|peacekeepers|mercenaries|"
    r"volunteers|pilgrims|fishermen|traders|lawyers|activists|monks|priests|mediators) from\s+(?:the\s+)?$"
)
#: What lies between two places of one list ("from Baku and Stepanakert", "in Arizona and Texas"; in
#: a clause whose place names are blanked, "Idlib, Aleppo and Homs" too).
LISTED = re.compile(r"^(?:\s*(?:,|and|or|to)\s*)+(?:the\s+)?$")
#: What lies between a trigger and the place it is written for: nothing, or a few words and a
#: preposition ("struck Idlib", "a meeting in Paris", "the deal agreed in Istanbul", "deploying
#: instructors to western Ukraine").
ATTACHED = re.compile(
    r"^\s+(?:(?:[\w',.-]+\s+){0,3}?(?:in|at|near|to|from|outside|into|around|across|toward|towards|on|of)\s+"
    r"(?:the\s+)?(?:[\w-]+\s+)?)?$"
)
#: What lies between an event named as a noun and its place ("the siege of Mariupol", "talks in Cairo").
NAMED_FOR = re.compile(r"^\s+(?:of|on|for|in|at|against)\s+(?:the\s+)?(?:[\w-]+\s+)?$")
#: Movement words that are an advance or an entry (a withdrawal is not).
ADVANCE = re.compile(r"advanc|pushed|marched toward|troops entered|units entered|entered|moved|crossed|drove")
#: A place written as the owner of an actor is who acts, not where ("Sudan's army chief flew to Cairo",
#: "Kenya's first police contingent arrived", "in protest at Paris's influence").
OWNER = re.compile(
    r"^'s\s+(?:[\w-]+\s+){0,2}?(?:army|military|president|prime minister|minister|government|parliament|"
    r"police|forces|troops|contingent|chief|leader|envoy|ambassador|delegation|influence|embassy|navy|"
    r"air force|intelligence|security services|ruling party|junta|regime|coast guard)\b"
)
#: A place written as part of a word that says who backs, leads or made something ("Rwanda-backed
#: rebels", "a Moscow-based analyst", "the US-led coalition").
COMPOUND = re.compile(
    r"^-(?:backed|based|led|allied|aligned|funded|made|owned|supported|sponsored|trained|flagged|registered|"
    r"controlled|held|run|friendly)\b"
)
#: Whose government or forces a place names ("troops loyal to the government in Tripoli").
GOVERNED = re.compile(r"\b(?:loyal to|(?:the )?(?:government|authorities|regime|rulers) in)\s+(?:the\s+)?$")
#: Who speaks but not for a government, an army or an international body (docs/events.md, rule 6).
WITNESSES = _words(
    r"residents", r"survivors", r"witnesses", r"families", r"villagers", r"refugees", r"people", r"relatives",
    r"migrants", r"locals", r"farmers", r"passengers", r"doctors", r"medics", r"nurses", r"activists",
    r"rescuers", r"journalists", r"aid (?:groups|agencies|workers)", r"charities", r"rights groups",
)  # fmt: skip
#: Words before a trigger that deny it or make it only possible ("denied sending troops", "no fighting",
#: "without a fight", "may soon join the fighting").
NEGATED = re.compile(
    r"\b(?:no|not|never|without|any|denied|denies|deny|(?<!\d\s)may|might|could)\s+(?:[\w-]+\s+){0,3}$"
)
#: What a protest asks for or is against: a place written there is what it is about, not where it is
#: ("demanding a safe return to Rakhine", "to protest against grain imports from Ukraine").
DEMANDS = re.compile(
    r"\b(?:demanding|to demand|calling for|in protest (?:at|against|over)|to protest (?:against|at|over)|"
    r"to mourn|in solidarity with|to avoid|to denounce|denouncing)\b"
)
#: Who visits when they arrive ("the Pope arrived in Jakarta", "the foreign minister flew in").
DIGNITARY = _words(
    r"pope", r"president", r"prime minister", r"(?:foreign |defence )?minister", r"secretary", r"chancellor",
    r"king", r"envoy", r"delegation", r"negotiators",
)  # fmt: skip
#: What talks or a plan are about: a place written there is their subject, not where they are held
#: ("talks on a ceasefire in Sudan resumed in Geneva", "talks on reopening the airport in Sanaa").
TOPIC = re.compile(
    r"\b(?:talks|negotiations|discuss(?:ed|ing|ions)?|agreement|deal|plan|proposal|resolution|conference)\s+"
    r"(?:on|over|about|for)\s+(?:[\w'-]+\s+){0,5}?(?:in|of|to|for|at)\s+(?:the\s+)?$"
)
#: A trigger inside what a protest demands is no event ("marched demanding a hostage deal").
DEMANDED = re.compile(DEMANDS.pattern + r"(?:\s+[\w'-]+){0,5}\s*$")
#: One person's flight is a movement, not a displacement ("as the president fled the country").
ONE_PERSON = re.compile(
    r"\b(?:he|she|the (?:president|prime minister|king|leader|emir|general|commander|former \w+))\s+"
    r"(?:\w+\s+)?$"
)
#: Things seized, which is no capture of a place ("rifles seized by soldiers", "seized two tonnes of cocaine").
OBJECTS = _words(
    r"weapons", r"rifles", r"guns", r"arms", r"ammunition", r"drugs", r"cocaine", r"heroin", r"assets", r"cash",
    r"documents", r"phones", r"passports", r"cargo", r"shipment", r"tonnes", r"explosives",
)  # fmt: skip
#: People seized, which is an abduction ("gunmen seized 20 travellers").
SEIZED = _words(
    r"travell?ers", r"passengers", r"villagers", r"people", r"women", r"children", r"pupils", r"students",
    r"worshippers", r"farmers", r"aid workers", r"journalists?", r"hostages",
)  # fmt: skip
#: Before a clause: a time counted from an earlier event, which is no event now ("two weeks after its
#: recapture").
SINCE = re.compile(r"\b(?:days?|weeks?|months?|years?|hours?)\s*$")
#: Where a sentence's clauses break, always (a relative clause is a clause of its own).
#: The attribution at a sentence's end (", residents who escaped to Monywa said.") is a clause too:
#: its places are who speaks, not where the report's events happened.
BREAKS = re.compile(
    r";|\s[—–]\s|,\s*(?:while|whereas|but|as|after|before|when|although|and then)\b|\swhile\s|\swhereas\s"
    r"|\safter\s|\sas\s(?=the |she |he |they |it |its |their )"
    r"|,(?=[^,]{0,70}\b(?:said|says|told reporters)(?:\s+\w+){0,3}\W*$)"
)
RELATIVE = re.compile(r",\s*(?:who|which|whose)\b[^,]*(?:,|$)")
#: Words before a trigger that say it did not happen at the place ("to escape the fighting").
ESCAPED = re.compile(r"\b(?:escape|escaping|fleeing|flee|fled|amid|approached|since)\b(?:\s+\w+){0,2}\s*$")
