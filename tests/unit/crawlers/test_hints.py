import pytest

from crawlers.hints import validate_hints
from registry_service.api.errors import BadRequest


def test_known_hints_are_kept_trimmed():
    assert validate_hints({"creator": [" alice ", ""], "me": "https://s.example/@a"}) == {
        "creator": ["alice"],
        "me": ["https://s.example/@a"],
    }


@pytest.mark.parametrize(
    ("hints", "words"),
    [
        ([], "JSON object"),
        ({"decide_key": ["x"]}, "unknown hint"),
        ({"creator": ["x"] * 21}, "at most 20"),
        ({"creator": [{"nested": 1}]}, "string"),
        ({"creator": ["x" * 501]}, "string"),
        ({"author": ["y" * 450] * 20}, "larger than"),
    ],
)
def test_bad_hints_are_refused_with_a_reason(hints, words):
    with pytest.raises(BadRequest) as caught:
        validate_hints(hints)
    assert caught.value.code == "invalid_hints" and words in caught.value.message
