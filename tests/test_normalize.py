from geo.normalize import edit_distance, is_latin, name_key


def test_name_key_folds_case_diacritics_punctuation_and_articles():
    assert name_key("the U.S.") == name_key("US") == name_key("U.S.'s") == "us"
    assert name_key("Ḩamāh") == "hamah"
    assert name_key("St. Louis") == name_key("Saint Louis")
    assert name_key("Syria's") == "syria"
    assert name_key("al-Nusra") == "al nusra"
    assert name_key("The Hague") == "hague"


def test_edit_distance_with_limit():
    assert edit_distance("tartou", "tartous", 2) == 1
    assert edit_distance("tartou", "tartus", 2) == 2
    assert edit_distance("geneva", "geneva", 1) == 0
    assert edit_distance("london", "berlin", 2) == 3  # limit + 1 once past the limit


def test_is_latin():
    assert is_latin("Genève")
    assert not is_latin("Женева")
