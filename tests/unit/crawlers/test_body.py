"""Bounded body reading: caps, markers, and decompression that never exceeds the cap."""

from __future__ import annotations

import gzip
import zlib

import brotli
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crawlers.extract.page import HEAD_BUDGET
from crawlers.fetch import FetchError
from crawlers.fetch.body import BoundedBody
from crawlers.pipeline import HEAD_END

PAGE = b"<html><head><title>x</title></head><body>" + b"y" * 50_000 + b"</body></html>"
ENCODERS = {
    "": lambda b: b,
    "gzip": gzip.compress,
    "deflate": zlib.compress,
    "raw-deflate": lambda b: zlib.compress(b)[2:-4],
    "br": brotli.compress,
}


def feed_all(body: BoundedBody, data: bytes, size: int) -> bool:
    return any(body.feed(data[i : i + size]) for i in range(0, len(data), size))


@pytest.mark.parametrize("encoding", ENCODERS)
def test_whole_bodies_come_back_intact(encoding):
    header = "deflate" if encoding == "raw-deflate" else encoding
    body = BoundedBody(header, 1_000_000)
    feed_all(body, ENCODERS[encoding](PAGE), 1000)
    assert body.body == PAGE and not body.truncated


@given(
    st.sampled_from(sorted(ENCODERS)),
    st.integers(min_value=1, max_value=60_000),
    st.integers(min_value=1, max_value=5000),
)
@settings(max_examples=60, deadline=None)
def test_never_more_than_the_cap_and_truncated_exactly_when_cut(encoding, cap, chunk):
    header = "deflate" if encoding == "raw-deflate" else encoding
    body = BoundedBody(header, cap)
    feed_all(body, ENCODERS[encoding](PAGE), chunk)
    assert len(body.body) <= cap
    assert body.body == PAGE[: len(body.body)]
    assert body.truncated == (cap < len(PAGE))


@given(st.integers(min_value=1, max_value=64))
def test_the_head_marker_is_found_across_chunk_boundaries(chunk):
    body = BoundedBody("", 1_000_000, until=b"</head>")
    assert feed_all(body, PAGE.replace(b"</head>", b"</HEAD>"), chunk)
    assert body.stopped_at and b"</HEAD>" in body.body
    assert len(body.body) < len(PAGE) // 2 or chunk > 1000


def test_bombs_are_cut_without_inflating_everything():
    bomb = gzip.compress(b"\0" * (32 * 1024 * 1024))
    body = BoundedBody("gzip", 1024 * 1024)
    assert feed_all(body, bomb, 65536)
    assert body.truncated and len(body.body) == 1024 * 1024


def test_corrupt_and_unknown_encodings():
    with pytest.raises(FetchError, match="corrupt"):
        BoundedBody("gzip", 100).feed(b"not gzip at all")
    with pytest.raises(FetchError, match="unsupported encoding: compress"):
        BoundedBody("compress", 100)
    with pytest.raises(FetchError, match="stacked"):
        BoundedBody("gzip, br", 100)


@given(st.integers(min_value=1, max_value=64))
def test_a_head_end_in_a_script_does_not_stop_the_download(chunk):
    page = (
        b"<html><head><script>let s = '</head>';</script>"
        b'<meta name="author" content="Zoe"></head><body>' + b"x" * 4000
    )
    body = BoundedBody("", 1_000_000, until=HEAD_END)
    assert feed_all(body, page, chunk)
    assert body.stopped_at and b'content="Zoe"></head>' in body.body
    assert len(body.body) < len(page) // 2


def test_a_head_whose_scripts_all_say_head_end_stops_at_the_head_budget():
    # Every chunk holds the marker, none ends the head: the check reads each byte about
    # once, and the download stops once the head budget is read.
    page = b"<html><head>" + b"<script>'</head>'</script>" * 80_000
    body = BoundedBody("", 4_000_000, until=HEAD_END)
    assert feed_all(body, page, 1460)
    assert body.stopped_at and HEAD_BUDGET < len(body.body) <= HEAD_BUDGET + 16 + 1460
