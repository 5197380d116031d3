"""The event types: what a sentence reports happened at a place (docs/events.md defines each).

Close to ACLED's public event types, so that analysts recognise them: battles become
``fighting``; explosions and remote violence ``strikes``; violence against civilians
``civilians``; protests and riots ``protests``; ACLED's strategic developments split into
``movements`` (troops and bases) and ``diplomacy`` (talks, visits, agreements, statements); and
two that ACLED has no type for: ``humanitarian`` (displacement, aid, tolls without an attack)
and ``mentioned`` (the sentence says nothing happened there).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["EVENT_TYPES", "MENTIONED", "TYPES", "EventType", "label_of"]


@dataclass(frozen=True)
class EventType:
    """One event type: its key (in outputs), its label (for people) and what it covers."""

    key: str
    label: str
    covers: str
    colour: str  # its colour on the map's "colour by event type"


#: The types, in the order the legend and the guideline list them.
EVENT_TYPES: tuple[EventType, ...] = (
    EventType("fighting", "Fighting", "battles, clashes, ambushes, captures and sieges", "#c0392b"),
    EventType("strikes", "Strikes from afar", "shelling, air and drone strikes, missiles, explosions", "#e67e22"),
    EventType("civilians", "Violence against civilians", "killings, abductions, massacres, looting", "#8e44ad"),
    EventType("protests", "Protests and riots", "demonstrations, riots, force against them", "#f1c40f"),
    EventType("movements", "Movements", "deployments, advances, withdrawals, bases opened or closed", "#2980b9"),
    EventType("diplomacy", "Diplomacy", "talks, summits, visits, agreements, statements", "#27ae60"),
    EventType("humanitarian", "Humanitarian", "displacement, evacuation, aid, shortages, tolls reported", "#16a085"),
    EventType("mentioned", "Mentioned", "the sentence says nothing happened there", "#7f8c8d"),
)
#: The keys, in order.
TYPES: tuple[str, ...] = tuple(t.key for t in EVENT_TYPES)
#: The type of a place its sentence reports nothing at.
MENTIONED = "mentioned"

_LABELS = {t.key: t.label for t in EVENT_TYPES}


def label_of(key: str) -> str:
    """Return the label people read for an event type's key ("strikes" → "Strikes from afar")."""
    return _LABELS.get(key, key)
