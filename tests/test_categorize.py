import pytest

from geo.categorize import categorize
from geo.features import Feature
from geo.values import Mention


def mention(text, name):
    start = text.index(name)
    return Mention(start, start + len(name), name, "GPE", "ner", 0, len(text), text)


@pytest.mark.parametrize(
    ("text", "name", "feature", "kind"),
    [
        ("Forces stay at the port of Tartus, where Russia has a naval base.", "Tartus", Feature.CITY, "base"),
        ("Peace talks resumed in Geneva on Monday.", "Geneva", Feature.CITY, "venue"),
        ("Peace talks resumed in Syria on Monday.", "Syria", Feature.COUNTRY, "country"),
        ("Geneva is expensive.", "Geneva", Feature.CITY, "city"),
        ("Fighting in Latakia province.", "Latakia", Feature.ADMIN1, "region"),
        ("Jets left the airbase near Latakia.", "Latakia", Feature.ADMIN1, "region"),
    ],
)
def test_categories_from_feature_and_words(text, name, feature, kind):
    assert categorize(feature, None, [mention(text, name)], text) == kind


def test_hint_from_the_landmark_table_wins():
    text = "A Kremlin spokesman said so."
    assert categorize(Feature.GOVERNMENT, "venue", [mention(text, "Kremlin")], text) == "venue"
