"""Events: what a place's sentence reports happened there, who was named with it, and when.

``annotate`` is a pure function over an article's text, its place mentions, its publication
date and the model's other entities; docs/events.md is the guideline it follows.
"""

from __future__ import annotations

from geo.events.annotate import Events, MentionEvents, annotate, events_of
from geo.events.taxonomy import EVENT_TYPES, MENTIONED, TYPES, EventType, label_of

__all__ = [
    "EVENT_TYPES",
    "MENTIONED",
    "TYPES",
    "EventType",
    "Events",
    "MentionEvents",
    "annotate",
    "events_of",
    "label_of",
]
