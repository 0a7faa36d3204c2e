from hypothesis import given
from hypothesis import strategies as st

from crawlers.keys import (
    creator_key,
    flattr_key_from_url,
    handle_from_service_url,
    normalize_key,
)

SERVICE = "https://omniflattr.example.net"


def test_creator_tag_values():
    assert creator_key("Alice", SERVICE) == "omniflattr:alice"
    assert creator_key("@alice", SERVICE) == "omniflattr:alice"
    assert creator_key("GitHub:Octo", SERVICE) == "github:octo"
    assert creator_key("youtube:UCuAXFkgsw1L7xaCfnd5JJOw", SERVICE) == (
        "youtube:UCuAXFkgsw1L7xaCfnd5JJOw"
    )
    assert creator_key(f"{SERVICE}/@Carol", SERVICE) == "omniflattr:carol"
    assert creator_key("https://other.example/@carol", SERVICE) is None
    assert creator_key("", SERVICE) is None
    assert creator_key("two words", SERVICE) is None


def test_service_urls_must_match_scheme_host_port_and_path_prefix():
    assert handle_from_service_url("https://omniflattr.example.net/@a", SERVICE) == "a"
    assert handle_from_service_url("https://omniflattr.example.net:444/@a", SERVICE) is None
    assert handle_from_service_url("https://omniflattr.example.net/x/@a", SERVICE) is None
    assert handle_from_service_url("https://h.example/app/@bo", "https://h.example/app/") == "bo"


def test_legacy_flattr_urls():
    assert flattr_key_from_url("https://flattr.com/submit/auto?user_id=Joe&url=x") == "flattr:joe"
    assert flattr_key_from_url("https://flattr.com/@joe") == "flattr:joe"
    assert flattr_key_from_url("https://notflattr.com/profile/joe") is None


@given(st.text(max_size=300))
def test_any_value_gives_a_well_formed_key_or_none(text):
    key = normalize_key(text)
    if key is not None:
        namespace, _, ident = key.partition(":")
        assert namespace == namespace.lower() and ident and not any(c.isspace() for c in ident)
    key = creator_key(text, SERVICE)
    assert key is None or ":" in key
