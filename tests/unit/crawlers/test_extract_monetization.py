from crawlers.extract import monetization
from tests.unit.crawlers.helpers import page


def test_wallet_links_and_payment_pointers():
    found = monetization.extract(
        page(
            '<link rel="monetization" href="https://wallet.example.com/alice">'
            '<meta name="monetization" content="$ilp.example.com/bob">'
            '<meta name="monetization" content="$pay.example.com">'
        )
    )
    assert [a["url"] for a in found.also_accepts] == [
        "https://wallet.example.com/alice",
        "https://ilp.example.com/bob",
        "https://pay.example.com/.well-known/pay",
    ]
    assert {a["kind"] for a in found.also_accepts} == {"web_monetization"}
