"""The exceptions News Atlas raises: one small tree, so that callers can catch ``GeoError``.

Errors from outside libraries (sqlite3, geopy, the file system) are converted once, where they
enter the library, with ``raise ... from err`` so the original stays in the traceback.
"""

from __future__ import annotations


class GeoError(Exception):
    """Base class of every error News Atlas raises on purpose."""


class InputError(GeoError):
    """An article could not be read as text: empty, too large, binary or not UTF-8."""


class LayerError(GeoError):
    """A reader's layer (GeoJSON, KML or CSV) could not be read; the message says why, in one sentence."""


class GazetteerError(GeoError):
    """The offline gazetteer could not be built or opened."""


class ModelError(GeoError):
    """No usable spaCy English pipeline is installed."""


class GeocoderError(GeoError):
    """A geocoding service failed. The place falls back to what the offline gazetteer knows."""


class GeocoderTimeout(GeocoderError):
    """The geocoding service did not answer in time."""


class GeocoderUnavailable(GeocoderError):
    """The geocoding service could not be reached, refused, or rate-limited the request."""


class OverBudget(GeocoderError):
    """The online look-ups allowed (per article or per session) were spent, or the session ended:
    the name was not sent, and is left to the offline gazetteer."""


class CacheError(GeoError):
    """The geocode cache could not be opened or written."""


class CorrectionRefused(GeoError):
    """A correction was not stored: too many from one session in a minute."""


class ParseStopped(GeoError):
    """A parse was stopped part-way: it ran over its time limit or its memory ceiling (geo.parse.worker)."""
