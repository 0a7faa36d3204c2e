import json

from crawlers.extract import jsonld
from tests.unit.crawlers.helpers import page


def script(data) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def test_authors_and_publishers_with_name_url_and_same_as():
    found = jsonld.extract(
        page(
            script(
                {
                    "@context": "https://schema.org",
                    "@graph": [
                        {
                            "@type": "Article",
                            "author": [
                                {
                                    "@type": "Person",
                                    "name": "Ann",
                                    "url": "/ann",
                                    "sameAs": "https://x.com/ann",
                                },
                                "Bob Writer",
                            ],
                            "publisher": {"@type": "Organization", "name": "Daily"},
                        }
                    ],
                }
            )
        )
    )
    people = found.hints["jsonld_people"]
    assert people[0] == {
        "role": "author",
        "name": "Ann",
        "url": "https://blog.example.org/ann",
        "same_as": ["https://x.com/ann"],
        "type": "Person",
    }
    assert people[1]["name"] == "Bob Writer" and people[1]["url"] is None
    assert people[2]["role"] == "publisher" and people[2]["name"] == "Daily"


def test_broken_or_huge_json_is_skipped():
    found = jsonld.extract(
        page('<script type="application/ld+json">{not json</script>' + script({"x": "y" * 300_000}))
    )
    assert found.hints == {}
