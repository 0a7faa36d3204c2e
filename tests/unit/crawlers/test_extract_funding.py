from crawlers.extract.funding_json import manifest_urls, parse_funding_json
from crawlers.extract.funding_yml import parse_funding_yml
from tests.unit.crawlers import pages


def test_funding_yml_platforms_become_urls():
    found = parse_funding_yml(pages.FUNDING_YML, "https://raw.example/FUNDING.yml")
    assert [(a["platform"], a["url"]) for a in found.also_accepts] == [
        ("github", "https://github.com/sponsors/octo"),
        ("github", "https://github.com/sponsors/hubot"),
        ("patreon", "https://www.patreon.com/octo"),
        ("open_collective", "https://opencollective.com/widget"),
        ("liberapay", "https://liberapay.com/octo"),
        ("custom", "https://paypal.me/octo"),
        ("custom", "https://octo.example.org/donate"),
    ]


def test_funding_yml_garbage_is_ignored():
    assert parse_funding_yml("{{{: not yaml", "u").also_accepts == []
    assert parse_funding_yml("- a list", "u").also_accepts == []
    assert parse_funding_yml("github: ../../etc", "u").also_accepts == []
    assert parse_funding_yml("!!python/object:os.system ls", "u").also_accepts == []


def test_funding_json_manifest():
    found = parse_funding_json(pages.FUNDING_JSON.encode(), "https://blog.example.org/funding.json")
    assert found.also_accepts == [
        {
            "kind": "funding_json_channel",
            "url": "https://liberapay.com/alice",
            "channel": "payment-provider",
            "source": "https://blog.example.org/funding.json",
        },
        {
            "kind": "funding_json",
            "url": "https://blog.example.org/funding.json",
            "name": "Alice Liddell",
            "channels": ["bank", "payment-provider"],
        },
    ]
    assert parse_funding_json(b"[1, 2]", "u").also_accepts == []
    assert parse_funding_json(b"not json", "u").also_accepts == []


def test_manifest_url_listing():
    text = "https://a.example.org/funding.json\n# comment\nnot a url\nhttp://b.example.org/f.json"
    assert manifest_urls(text) == [
        "https://a.example.org/funding.json",
        "http://b.example.org/f.json",
    ]
