import pytest

from registry_service.api.errors import Unprocessable
from registry_service.claims.delegations import normalize_prefix


@pytest.mark.parametrize(
    ("raw", "prefix"),
    [
        ("/authors/bob/", "/authors/bob/"),
        (" /authors/bob ", "/authors/bob"),
        ("/", "/"),
        ("/caf%c3%a9/", "/caf%C3%A9/"),
        ("/~bob/", "/~bob/"),
        ("/%7Ebob/", "/~bob/"),
    ],
)
def test_prefixes(raw, prefix):
    assert normalize_prefix(raw) == prefix


@pytest.mark.parametrize(
    "raw", ["authors/", "/a/../b", "/a/./b", "//evil.example/", "/a?b=1", "/a#x", "https://x.org/"]
)
def test_bad_prefixes(raw):
    with pytest.raises(Unprocessable):
        normalize_prefix(raw)
