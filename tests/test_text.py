import pytest

from geo.core.errors import InputError
from geo.inputs.text import MAX_BYTES, decode_article, read_article


def test_reads_utf8():
    assert decode_article(b"Troops left Aleppo.") == "Troops left Aleppo."


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"   \n\t ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
        ("Café in Zürich".encode("latin-1"), "not UTF-8"),
        (b"a" * (MAX_BYTES + 1), "MB"),
    ],
)
def test_bad_input_gets_a_clear_message(data, words):
    with pytest.raises(InputError, match=words):
        decode_article(data, name="upload.txt")


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        read_article(tmp_path / "nope.txt")


def test_byte_order_marks_are_read_and_left_out():
    from geo.inputs.text import decode_article

    assert decode_article("Troops left Mosul.".encode("utf-16")) == "Troops left Mosul."
    assert decode_article("Troops left Mosul.".encode("utf-16-be").join([b"\xfe\xff", b""])) == "Troops left Mosul."
    assert decode_article(b"\xef\xbb\xbfTroops left Mosul.") == "Troops left Mosul."
