"""SVG charts: accessible, exact, escaped, integer geometry."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from registry_service.ledger.months import add_months
from registry_service.web.charts import chart_months, monthly_bars, percent, share_bars
from registry_service.web.formatting import format_money

SVG = "{http://www.w3.org/2000/svg}"


def fmt(cents: int) -> str:
    return format_money(cents, "fr")


def _tree(markup) -> ET.Element:
    return ET.fromstring(str(markup))


def test_monthly_bars_are_labelled_and_proportional():
    svg = monthly_bars(
        [("sept. 2026", 500), ("oct. 2026", 1000), ("nov. 2026", 0)],
        chart_id="income",
        title="Revenus par mois",
        desc="Le plus haut : octobre 2026, 10,00 €",
        fmt=fmt,
    )
    root = _tree(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "income-title income-desc"
    assert root.find(f"{SVG}title").text == "Revenus par mois"
    assert root.find(f"{SVG}desc").get("id") == "income-desc"
    heights = [int(r.get("height")) for r in root.iter(f"{SVG}rect")]
    assert heights == [90, 180, 0]
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "10,00\u00a0€" in texts and "oct. 2026" in texts


def test_labels_are_escaped_and_ids_sanitised():
    svg = monthly_bars(
        [("<script>", 1)], chart_id='x" onload="y', title="a & b", desc="<d>", fmt=str
    )
    root = _tree(svg)  # still well-formed XML
    assert "<script>" not in str(svg)
    assert root.find(f"{SVG}title").text == "a & b"
    assert '"' not in root.get("aria-labelledby").replace(" ", "")
    assert re.fullmatch(r"[A-Za-z][\w-]*-title [A-Za-z][\w-]*-desc", root.get("aria-labelledby"))


def test_tiny_amounts_stay_visible_and_empty_charts_work():
    root = _tree(
        monthly_bars([("a", 100000), ("b", 1)], chart_id="c", title="t", desc="d", fmt=str)
    )
    assert [int(r.get("height")) for r in root.iter(f"{SVG}rect")] == [180, 1]
    _tree(monthly_bars([], chart_id="c", title="t", desc="d", fmt=str))
    _tree(share_bars([], chart_id="s", title="t", desc="d", fmt=str))


def test_amounts_must_be_non_negative_integers():
    with pytest.raises(TypeError):
        monthly_bars([("a", 1.0)], chart_id="c", title="t", desc="d", fmt=str)
    with pytest.raises(ValueError):
        share_bars([("a", -1)], chart_id="c", title="t", desc="d", fmt=str)


@given(st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=12))
def test_stacked_bar_fills_the_width_exactly(amounts):
    items = [(f"key{i}", cents) for i, cents in enumerate(amounts)]
    root = _tree(share_bars(items, chart_id="where", title="t", desc="d", fmt=str, width=560))
    rects = list(root.iter(f"{SVG}rect"))
    stacked = [r for r in rects if r.get("y") == "8"]
    total_width = sum(int(r.get("width")) for r in stacked)
    assert total_width == (544 if sum(amounts) else 0)
    captions = list(root.iter(f"{SVG}text"))
    assert len(captions) == len(items)


def test_share_captions_show_amounts_and_percentages():
    root = _tree(
        share_bars(
            [("github:alice", 150), ("domain:example.org", 50)],
            chart_id="w",
            title="Où est allé mon argent",
            desc="d",
            fmt=fmt,
        )
    )
    captions = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert captions == [
        "github:alice — 1,50\u00a0€ (75 %)",
        "domain:example.org — 50\u00a0ct (25 %)",
    ]


def test_percent_rounds_half_up():
    assert percent(1, 8) == 13  # 12.5 -> 13
    assert percent(1, 3) == 33
    assert percent(0, 0) == 0


def test_long_captions_wrap_inside_the_chart_and_push_the_next_row_down():
    long_label = "domain:a-rather-long-domain-name.org · waited in escrow, since released to you"
    items = [(long_label, 225), ("github:b", 75)]
    root = _tree(share_bars(items, chart_id="w", title="t", desc="d", fmt=fmt, width=400))
    first, second = root.iter(f"{SVG}text")
    lines = [span.text for span in first]
    assert len(lines) == 2 and " ".join(lines) == f"{long_label} — 2,25\u00a0€ (75 %)"
    assert all(len(line) * 7 <= 384 for line in lines)
    assert int(second.get("y")) - int(first.get("y")) == 44 + 16
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("height") == "14"]
    assert int(bars[0].get("y")) > int(first.get("y")) + 16  # under its two lines
    assert int(root.get("height")) >= int(bars[1].get("y")) + 14


def test_chart_months_start_at_the_first_active_month():
    assert chart_months("2026-12", []) == ["2026-10", "2026-11", "2026-12"]
    assert chart_months("2026-12", ["2026-11"]) == ["2026-10", "2026-11", "2026-12"]
    assert chart_months("2026-12", ["2026-06", "2026-11"]) == [
        "2026-06",
        "2026-07",
        "2026-08",
        "2026-09",
        "2026-10",
        "2026-11",
        "2026-12",
    ]
    # Activity before the span counts for nothing; the year boundary is crossed.
    assert chart_months("2027-02", ["2020-01"], span=4) == ["2026-12", "2027-01", "2027-02"]
    assert chart_months("2027-02", ["2026-11"], span=4) == [
        "2026-11",
        "2026-12",
        "2027-01",
        "2027-02",
    ]


@given(
    st.sets(st.integers(min_value=0, max_value=30)),
    st.integers(min_value=1, max_value=24),
    st.integers(min_value=1, max_value=24),
)
def test_chart_months_are_consecutive_and_keep_every_active_month_in_the_span(ago, span, minimum):
    minimum = min(minimum, span)
    active = [add_months("2026-12", -n) for n in ago]
    months = chart_months("2026-12", active, span=span, minimum=minimum)
    assert months[-1] == "2026-12" and minimum <= len(months) <= span
    assert all(add_months(a, 1) == b for a, b in itertools.pairwise(months))
    in_span = {m for m, n in zip(active, ago, strict=True) if n < span}
    assert in_span <= set(months)
