import pytest

from geo.core.features import Feature
from geo.resolve.categorize import categorize


@pytest.mark.parametrize(
    ("text", "name", "feature", "kind"),
    [
        ("Forces stay at the port of Tartus, where Russia has a naval base.", "Tartus", Feature.CITY, "base"),
        ("Peace talks resumed in Geneva on Monday.", "Geneva", Feature.CITY, "venue"),
        ("Peace talks resumed in Syria on Monday.", "Syria", Feature.COUNTRY, "country"),
        ("Geneva is expensive.", "Geneva", Feature.CITY, "city"),
        ("Talks between the rivals in Sudan resumed in Jeddah.", "Jeddah", Feature.CITY, "venue"),
        ("Envoys welcomed the Astana talks.", "Astana", Feature.CITY, "venue"),
        # Another place of the talks' sentence is not their venue.
        ("Talks open in Oslo soon, an aide told reporters in Bergen.", "Bergen", Feature.CITY, "city"),
        ("Fighting in Latakia province.", "Latakia", Feature.ADMIN1, "region"),
        ("Jets left the airbase near Latakia.", "Latakia", Feature.ADMIN1, "region"),
    ],
)
def test_categories_from_feature_and_words(text, name, feature, kind, make_mention):
    assert categorize(feature, None, [make_mention(name, text)], text) == kind


def test_hint_from_the_landmark_table_wins(make_mention):
    text = "A Kremlin spokesman said so."
    assert categorize(Feature.GOVERNMENT, "venue", [make_mention("Kremlin", text)], text) == "venue"
