from geo.core.normalize import edit_distance, is_latin, name_key


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


def test_edit_distance_agrees_with_the_full_table():
    # The fast path cuts a common prefix and suffix first; it must give the textbook distance.
    import random

    from geo.core.normalize import edit_distance

    def full(a: str, b: str, limit: int) -> int:
        previous = list(range(len(b) + 1))
        for i, char_a in enumerate(a, start=1):
            current = [i]
            for j, char_b in enumerate(b, start=1):
                current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
            previous = current
        return min(previous[-1], limit + 1)

    rng = random.Random(7)
    for _ in range(20_000):
        a = "".join(rng.choice("abn") for _ in range(rng.randint(0, 9)))
        b = "".join(rng.choice("abn") for _ in range(rng.randint(0, 9)))
        limit = rng.randint(0, 3)
        assert edit_distance(a, b, limit) == full(a, b, limit), (a, b, limit)


def test_dotted_initials_and_their_key():
    from geo.core.normalize import initials_key, initials_of, is_dotted_initials

    assert is_dotted_initials("L.A.") and is_dotted_initials("N.J.'s") and is_dotted_initials("D. C.")
    assert not is_dotted_initials("La.") and not is_dotted_initials("LA") and not is_dotted_initials("W.Va.")
    assert initials_key("D. C.") == initials_key("D.C.") == "initials:dc"
    assert initials_of("District of Columbia") == "dc" and initials_of("Winston-Salem") == "ws"


def test_particles_written_apart_or_joined_share_a_key():
    assert name_key("De Soto Parish") == name_key("DeSoto Parish") == "desoto parish"
    assert name_key("La Grange") == name_key("LaGrange") and name_key("Da Nang") == name_key("Danang")
    # A particle on its own, or last, is left as it is: "La." (Louisiana), "Lake Van".
    assert name_key("La.") == "la" and name_key("Lake Van") == "lake van"
