"""Event dates: the day a clause gives ("on Monday", "yesterday", "last week", "on 3 March"),
resolved against the article's publication date.

Weekdays, "today", "yesterday" and "last week" are resolved here (the latest such day on or
before publication; the next one when the clause speaks of the future); calendar dates and
"N days ago" by dateparser, with the publication date as ``RELATIVE_BASE`` and
``PREFER_DATES_FROM`` past. Coarser times ("last month", "in October") give no day.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

__all__ = ["DATE_WORDS", "GivenDate", "find_date", "resolve"]

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_NUMBERS = r"\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten"
#: Every expression of a day, in the lower-cased text.
DATE_WORDS = re.compile(
    r"\b(?:"
    rf"(?P<calendar>\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})(?:,?\s+\d{{4}})?"
    rf"|(?:{_MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?)"
    rf"|(?P<weekday>{'|'.join(_WEEKDAYS)})"
    r"|(?P<relative>yesterday|today|tonight|last week)"
    rf"|(?P<ago>(?:{_NUMBERS}|a) (?:days?|weeks?) ago)"
    r")\b"
)
#: "next" only before a time to come ("next week"): "the next day" tells of the past.
_FUTURE = re.compile(
    r"\b(?:will|next (?:week|month|year|monday|tuesday|wednesday|thursday|friday|saturday|sunday)|expected to"
    r"|to be held|plans? to|is due|are due|scheduled)\b"
)


@dataclass(frozen=True)
class GivenDate:
    """A day a clause gives: the words as written and the day they name."""

    text: str
    day: dt.date


def find_date(clause: str, published: dt.date | None) -> GivenDate | None:
    """Return the first day ``clause`` gives, resolved against ``published``; None when it gives
    none, or when there is no publication date to resolve it against and it names no year."""
    lower = clause.lower()
    for match in DATE_WORDS.finditer(lower):
        day = resolve(match, published, future=bool(_FUTURE.search(lower)))
        if day is not None:
            return GivenDate(clause[match.start() : match.end()], day)
    return None


def resolve(match: re.Match[str], published: dt.date | None, *, future: bool = False) -> dt.date | None:
    """Return the day one match of ``DATE_WORDS`` names, counted from ``published``."""
    if published is None:
        if match.group("calendar") and re.search(r"\d{4}", match.group("calendar")):
            return _dateparser(match.group("calendar"), dt.date.today())
        return None
    if weekday := match.group("weekday"):
        index = _WEEKDAYS.index(weekday)
        if future:
            return published + dt.timedelta(days=(index - published.weekday()) % 7)
        return published - dt.timedelta(days=(published.weekday() - index) % 7)
    if relative := match.group("relative"):
        back = {"yesterday": 1, "today": 0, "tonight": 0, "last week": 7}[relative]
        return published - dt.timedelta(days=back)
    return _dateparser(match.group(0), published)


def _dateparser(text: str, base: dt.date) -> dt.date | None:
    import dateparser  # type: ignore[import-untyped]  # loaded on the first calendar date (a second to import)

    settings = {
        "RELATIVE_BASE": dt.datetime(base.year, base.month, base.day, 12),
        "PREFER_DATES_FROM": "past",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    parsed = dateparser.parse(text, languages=["en"], settings=settings)
    return parsed.date() if parsed is not None else None
