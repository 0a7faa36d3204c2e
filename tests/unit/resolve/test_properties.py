"""Properties of normalisation and offline resolution over generated input (hypothesis)."""

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from registry_service.resolve.keys import normalize_key
from registry_service.resolve.platforms import ADAPTERS
from registry_service.resolve.rules import decide
from registry_service.resolve.things import analyse
from registry_service.resolve.urls import InvalidUrl, normalize_url

SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])

labels = st.text(alphabet=string.ascii_lowercase + string.digits + "-_", min_size=1, max_size=12)
unicode_labels = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=8
)
suffixes = st.sampled_from(
    ["com", "org", "co.uk", "de", "github.io", "herokuapp.com", "blogspot.fr", "xyz", "zz", ""]
)
platform_hosts = st.sampled_from(
    [h for a in ADAPTERS for h in a.hosts]
    + [f"x.{t.replace('.*', '.com')}" for a in ADAPTERS for t in a.tenant_hosts]
)
segments = st.text(
    alphabet=string.ascii_letters + string.digits + "-._~%@!$&'()*+,;=:/ é€?#", max_size=20
)
ports = st.one_of(
    st.just(""), st.integers(min_value=-5, max_value=70000).map(lambda p: f":{p}"), st.just(":")
)
userinfo = st.one_of(st.just(""), st.just("user:pw@"), st.just("@"), st.just("a@b@"))
schemes = st.sampled_from(["http", "https", "HTTP", "HtTpS", "ftp", "javascript", "", "http:/"])


@st.composite
def url_like(draw):
    host = draw(
        st.one_of(
            st.builds(
                lambda ls, s: ".".join([*ls, s]).strip("."), st.lists(labels, max_size=3), suffixes
            ),
            st.builds(
                lambda ls, s: ".".join([*ls, s]), st.lists(unicode_labels, max_size=2), suffixes
            ),
            platform_hosts,
            st.just("127.0.0.1"),
            st.just("[::1]"),
        )
    )
    path = "/".join(draw(st.lists(segments, max_size=4)))
    query = draw(
        st.one_of(
            st.just(""),
            st.text(max_size=30).map(lambda q: "?" + q),
            st.text(alphabet="?&=a%", max_size=12).map(lambda q: "?" + q),  # ?&?a=1
        )
    )
    return f"{draw(schemes)}://{draw(userinfo)}{host}{draw(ports)}/{path}{query}"


def _normalise_or_none(raw):
    try:
        return normalize_url(raw)
    except InvalidUrl:
        return None


@SETTINGS
@given(st.one_of(url_like(), st.text(max_size=200)))
def test_normalising_twice_equals_once(raw):
    once = _normalise_or_none(raw)
    if once is not None:
        assert normalize_url(once) == once
        assert once.startswith(("http://", "https://"))
        assert "#" not in once


def test_a_query_that_starts_with_a_question_mark_keeps_it():
    assert normalize_url("https://example.com/?&?a=1") == "https://example.com/??a=1"
    assert normalize_url("https://example.com/??a=1") == "https://example.com/??a=1"


@SETTINGS
@given(st.one_of(url_like(), st.text(), st.binary().map(lambda b: b.decode("latin-1"))))
def test_only_invalid_url_is_ever_raised(raw):
    try:
        thing = analyse(raw)
    except InvalidUrl as exc:
        assert exc.message and exc.code == "invalid_url"
        return
    decision = decide(thing, None, (), {}, {})
    assert decision.keys and all(normalize_key(k) == k for k in decision.keys)
    assert decision.source in ("platform", "domain")


@settings(max_examples=20, deadline=None)
@given(st.integers(min_value=9000, max_value=200_000), st.sampled_from("a%é/?&=."))
def test_huge_inputs_are_refused_quickly(size, char):
    try:
        normalize_url("https://example.com/" + char * size)
    except InvalidUrl as exc:
        assert "longer than" in exc.message


@SETTINGS
@given(url_like())
def test_tracking_parameters_never_survive(raw):
    tracked = raw + ("&" if "?" in raw else "?") + "utm_source=x&fbclid=y&gclid=z"
    normalised = _normalise_or_none(tracked)
    if normalised is not None:
        query = normalised.partition("?")[2]
        names = {p.partition("=")[0].lower() for p in query.split("&")}
        assert not names & {"utm_source", "fbclid", "gclid"}


@SETTINGS
@given(st.lists(st.tuples(labels, labels), min_size=1, max_size=6))
def test_query_order_does_not_matter(pairs):
    unique = list(dict(pairs).items())
    forward = "&".join(f"{k}={v}" for k, v in unique)
    backward = "&".join(f"{k}={v}" for k, v in reversed(unique))
    assert normalize_url("https://example.com/?" + forward) == normalize_url(
        "https://example.com/?" + backward
    )


@SETTINGS
@given(labels, st.sampled_from(["com", "org", "co.uk"]))
def test_www_is_never_part_of_a_key(label, suffix):
    host = f"{label}.{suffix}"
    try:
        without = decide(analyse(f"https://{host}/"), None, (), {}, {})
    except InvalidUrl:
        return  # the host is itself a public suffix (ltd.co.uk): www.ltd.co.uk is a site
    with_www = decide(analyse(f"https://www.{host}/"), None, (), {}, {})
    assert with_www.keys == without.keys
