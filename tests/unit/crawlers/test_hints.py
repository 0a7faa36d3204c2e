import pytest

from crawlers.hints import clean_hints
from registry_service.api.errors import BadRequest


def test_known_hints_are_kept_trimmed_and_unknown_ones_dropped():
    sent = {
        "creators": [" alice ", ""],
        "me": "https://s.example.org/@a",
        "canonical": "https://example.org/post",
        "json_ld": [{"role": "author", "name": "Ada", "same_as": ["https://x.org/ada"]}],
        "from_a_newer_extension": ["kept out"],
        "flattr_id": None,
    }
    assert clean_hints(sent) == {
        "creators": ["alice"],
        "me": ["https://s.example.org/@a"],
        "canonical": "https://example.org/post",
        "json_ld": [{"role": "author", "name": "Ada", "same_as": ["https://x.org/ada"]}],
    }


@pytest.mark.parametrize(
    ("hints", "words"),
    [
        ([], "JSON object"),
        ({"creators": ["x"] * 21}, "at most 20"),
        ({"creators": [{"nested": 1}]}, "string"),
        ({"title": "x" * 501}, "string"),
        ({"json_ld": ["not a person"]}, "object"),
    ],
)
def test_bad_hints_are_refused_with_a_reason(hints, words):
    with pytest.raises(BadRequest) as caught:
        clean_hints(hints)
    assert caught.value.code == "invalid_hints" and words in caught.value.message


def test_too_large_hints_say_so():
    with pytest.raises(BadRequest) as caught:
        clean_hints({"authors": ["y" * 450] * 20})
    assert caught.value.code == "hints_too_large" and "at most 8192" in caught.value.message
