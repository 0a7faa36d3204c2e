from crawlers.extract import identities
from tests.unit.crawlers.helpers import page


def test_rel_me_links_in_the_head_and_fediverse_creator():
    found = identities.extract(
        page(
            '<link rel="me" href="https://social.example.net/@alice">'
            '<link rel="author me" href="https://github.com/alice">'
            '<link rel="me" href="javascript:alert(1)">'
            '<meta name="fediverse:creator" content="@alice@social.example.net">'
            '<meta name="fediverse:creator" content="not a handle">',
            '<a rel="me" href="https://evil.example.com/@mallory">commenter</a>',
        )
    )
    assert found.identities == [
        "https://social.example.net/@alice",
        "https://github.com/alice",
        "https://social.example.net/@alice",
    ]
    assert found.hints["fediverse_creator"] == ["@alice@social.example.net"]


def test_base_href_resolves_relative_links():
    found = identities.extract(
        page('<base href="https://other.example.org/x/"><link rel="me" href="profile">')
    )
    assert found.identities == ["https://other.example.org/x/profile"]
