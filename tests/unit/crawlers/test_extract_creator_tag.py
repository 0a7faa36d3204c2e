from crawlers.extract import creator_tag
from tests.unit.crawlers.helpers import page


def test_handles_keys_and_links_become_creator_keys():
    found = creator_tag.extract(
        page(
            '<meta name="omniflattr:creator" content="Alice">'
            '<meta name="OMNIFLATTR:CREATOR" content="@bob">'
            '<meta name="omniflattr:creator" content="github:Octo">'
            '<meta name="omniflattr:creator" content="https://omniflattr.example.net/@carol">'
            '<meta name="omniflattr:creator" content="youtube:UCuAXFkgsw1L7xaCfnd5JJOw">'
        )
    )
    assert found.creators == [
        "omniflattr:alice",
        "omniflattr:bob",
        "github:octo",
        "omniflattr:carol",
        "youtube:UCuAXFkgsw1L7xaCfnd5JJOw",
    ]


def test_one_tag_may_list_co_authors():
    found = creator_tag.extract(page('<meta name="omniflattr:creator" content="alice, bob">'))
    assert found.creators == ["omniflattr:alice", "omniflattr:bob"]


def test_unusable_values_are_kept_as_hints_not_keys():
    found = creator_tag.extract(
        page(
            '<meta name="omniflattr:creator" content="<script>">'
            '<meta name="omniflattr:creator" content="https://elsewhere.example/@alice">'
        )
    )
    assert found.creators == []
    assert len(found.hints["rejected_creator_tags"]) == 2


def test_tags_in_the_body_do_not_count():
    found = creator_tag.extract(page("", '<meta name="omniflattr:creator" content="mallory">'))
    assert found.creators == []
