from crawlers.extract import flattr_meta, payment
from tests.unit.crawlers.helpers import page


def test_payment_links_to_this_service_decide_the_key():
    found = payment.extract(
        page(
            '<link rel="payment" href="https://omniflattr.example.net/@Alice/">'
            '<link rel="payment" href="https://omniflattr.example.net/about">'
            '<link rel="payment" href="http://omniflattr.example.net:8443/@eve">'
        )
    )
    assert found.creators == ["omniflattr:alice"]
    assert [a["url"] for a in found.also_accepts] == [
        "https://omniflattr.example.net/about",
        "http://omniflattr.example.net:8443/@eve",
    ]


def test_legacy_flattr_links_and_meta():
    found = payment.extract(
        page(
            '<link rel="payment" href="https://flattr.com/submit/auto?url=x&amp;user_id=OldTimer">'
            '<link rel="payment" href="https://flattr.com/profile/another">'
            '<link rel="payment" href="https://flattr.com/thing/123">'
        )
    )
    assert found.legacy_creators == ["flattr:oldtimer", "flattr:another"]
    assert [a["url"] for a in found.also_accepts] == ["https://flattr.com/thing/123"]
    meta = flattr_meta.extract(page('<meta name="flattr:id" content="OldTimer">'))
    assert meta.legacy_creators == ["flattr:oldtimer"]


def test_other_payment_links_are_other_ways_to_support():
    found = payment.extract(page('<link rel="payment" href="/donate">'))
    assert found.creators == [] and found.also_accepts == [
        {"kind": "payment", "url": "https://blog.example.org/donate"}
    ]
