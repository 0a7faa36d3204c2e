"""URL normalisation, creator-keys.md §1: every rule, and the invalid cases with their words."""

import pytest

from registry_service.api.errors import ApiError
from registry_service.resolve.urls import InvalidUrl, normalize_url

NORMALISED = [
    # host lowercased, trailing dot removed, default ports removed, www kept in the URL
    ("HTTPS://Example.COM/Path", "https://example.com/Path"),
    ("https://example.com./a", "https://example.com/a"),
    ("http://example.com:80/", "http://example.com/"),
    ("https://example.com:443/x", "https://example.com/x"),
    ("https://example.com:8443/x", "https://example.com:8443/x"),
    ("http://example.com:443/", "http://example.com:443/"),
    ("https://www.example.com", "https://www.example.com/"),
    # IDN to punycode (UTS #46 mapping, like browsers)
    ("https://müller.de/", "https://xn--mller-kva.de/"),
    ("https://MÜLLER.de/", "https://xn--mller-kva.de/"),
    ("https://faß.de/", "https://xn--fa-hia.de/"),
    ("https://bücher。de/", "https://xn--bcher-kva.de/"),
    ("https://xn--mller-kva.de/", "https://xn--mller-kva.de/"),
    ("https://%65xample.com/", "https://example.com/"),
    # fragment removed; userinfo is not part of a thing
    ("https://example.com/a#section-2", "https://example.com/a"),
    ("https://user:secret@example.com/a", "https://example.com/a"),
    # tracking parameters removed, the rest sorted by name (stable for repeated names)
    ("https://example.com/?utm_source=x&utm_medium=y&id=3", "https://example.com/?id=3"),
    ("https://example.com/?UTM_Campaign=x&a=1", "https://example.com/?a=1"),
    (
        "https://example.com/?fbclid=1&gclid=2&mc_cid=3&mc_eid=4&ref_src=5&igshid=6&p=1",
        "https://example.com/?p=1",
    ),
    ("https://example.com/?b=2&a=1&c=3", "https://example.com/?a=1&b=2&c=3"),
    ("https://example.com/?tag=z&tag=a", "https://example.com/?tag=z&tag=a"),
    ("https://example.com/?&&a=1&", "https://example.com/?a=1"),
    ("https://example.com/?", "https://example.com/"),
    ("https://example.com/?flag", "https://example.com/?flag"),
    ("https://youtu.be/dQw4w9WgXcQ?si=abc&t=42", "https://youtu.be/dQw4w9WgXcQ?t=42"),
    ("https://example.com/?si=keep", "https://example.com/?si=keep"),
    # paths: dot segments, percent-encoding in one spelling
    ("https://example.com/a/./b/../c", "https://example.com/a/c"),
    ("https://example.com/%7euser/%e2%82%ac", "https://example.com/~user/%E2%82%AC"),
    ("https://example.com/a%2fb", "https://example.com/a%2Fb"),
    ("https://example.com/caf\u00e9", "https://example.com/caf%C3%A9"),
    ("https://example.com/a b", "https://example.com/a%20b"),
    ("https://example.com", "https://example.com/"),
    # what a browser accepts
    ("  https://example.com/x \n", "https://example.com/x"),
    ("https://exam\tple.com/", "https://example.com/"),
    ("http:\\\\example.com\\a", "http://example.com/a"),
    ("HTTP://example.com", "http://example.com/"),
    # private suffixes: a tenant is a site; the suffix's own site belongs to its operator
    ("https://someapp.herokuapp.com/", "https://someapp.herokuapp.com/"),
    ("https://github.io/", "https://github.io/"),
    ("https://a_b.example.com/", "https://a_b.example.com/"),
]


@pytest.mark.parametrize(("raw", "expected"), NORMALISED)
def test_normalisation(raw, expected):
    assert normalize_url(raw) == expected
    assert normalize_url(expected) == expected


INVALID = [
    ("ftp://example.com/file", "ftp: is not a web page"),
    ("javascript:alert(1)", "javascript: is not a web page"),
    ("data:text/html,<b>hi</b>", "data: is not a web page"),
    ("file:///etc/passwd", "file: is not a web page"),
    ("chrome://settings", "chrome: is not a web page"),
    ("about:blank", "about: is not a web page"),
    ("mailto:a@example.com", "mailto: is not a web page"),
    ("wss://example.com/", "wss: is not a web page"),
    ("http://127.0.0.1/", "IP addresses cannot be flattred"),
    ("http://8.8.8.8:80/", "IP addresses cannot be flattred"),
    ("http://[::1]/", "IP addresses cannot be flattred"),
    ("http://[2001:db8::1]:8080/x", "IP addresses cannot be flattred"),
    ("http://0x7f.1/", "IP addresses cannot be flattred"),
    ("http://2130706433/", "IP addresses cannot be flattred"),
    ("http://1.2.3.999/", "IP addresses cannot be flattred"),
    ("http://localhost/", "localhost is not a public web site"),
    ("http://LOCALHOST:8080/x", "localhost is not a public web site"),
    ("http://app.localhost/", "localhost is not a public web site"),
    ("http://intranet/", "is not a public host name"),
    ("http://example.internal/", "internal is not a known public suffix"),
    ("http://printer.local/", "local is not a known public suffix"),
    ("http://example.xyz123/", "xyz123 is not a known public suffix"),
    ("https://co.uk/", "co.uk is a public suffix"),
    ("https://com/", "is not a public host name"),
    ("https://com.au./", "com.au is a public suffix"),
    ("http://", "has no host name"),
    ("https:///path", "is not a public host name"),  # WHATWG: the host is "path"
    ("https://user@/x", "has no host name"),
    ("https://example.com:99999/", "is not a valid port"),
    ("https://example.com:port/", "is not a valid port"),
    ("https://exa mple.com/", "is not a valid host name"),
    ("https://a..b.com/", "empty label"),
    ("https://a!b.com/", "is not a valid host name"),
    ("https://xn--zz.com/", "not valid punycode"),
    ("https://💩.la/", "not a valid international domain name"),
    ("https://" + "a" * 64 + ".com/", "is not a valid host name"),
    ("https://" + ("a" * 60 + ".") * 5 + "com/", "longer than 253"),
    ("example.com/page", "has no scheme; write it as https://example.com/page"),
    ("//example.com/page", "has no scheme"),
    ("localhost:3000", "has no scheme"),
    ("", "the URL is empty"),
    ("   ", "the URL is empty"),
    ("https://example.com/" + "a" * 9000, "longer than 8192"),
]


@pytest.mark.parametrize(("raw", "message"), INVALID)
def test_invalid_urls_say_what_is_wrong(raw, message):
    with pytest.raises(InvalidUrl) as caught:
        normalize_url(raw)
    assert message in caught.value.message
    assert caught.value.code == "invalid_url"
    assert caught.value.status == 400
    assert isinstance(caught.value, ApiError)


@pytest.mark.parametrize("value", [None, 42, b"https://example.com/", ["https://x.org/"]])
def test_non_strings_are_invalid(value):
    with pytest.raises(InvalidUrl, match="must be a string"):
        normalize_url(value)
