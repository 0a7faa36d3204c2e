"""Server-rendered SVG charts of money: pure functions from (label, cents) pairs to markup.

Every chart is an `<svg role="img">` whose `<title>` and `<desc>` say what it shows; pages
put the same figures in a table beside it (see the `chart` macro), so nothing depends on
seeing the picture. Geometry is integer arithmetic: no float ever touches an amount.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Iterable, Sequence

from markupsafe import Markup, escape

from registry_service.ledger.months import add_months

Formatter = Callable[[int], str]

TEXT = "#1f2328"
GRID = "#8c959f"
PALETTE = ("#0b5cad", "#b35900", "#1a7f37", "#8250df", "#bf3989", "#0a7d84", "#6e7781")
FONT = 'font-family="system-ui, sans-serif"'
# SVG text does not wrap: captions are wrapped by character count, sized for 13 px text.
CAPTION_CHAR_PX = 7
CAPTION_MAX_LINES = 3
CAPTION_LINE_PX = 16
BARS_MIN_WIDTH = 520


def _check(points: Sequence[tuple[str, int]]) -> None:
    for label, cents in points:
        if isinstance(cents, bool) or not isinstance(cents, int):
            raise TypeError(f"{label!r}: amounts are integer cents")
        if cents < 0:
            raise ValueError(f"{label!r}: a chart of amounts cannot show {cents}")


def _chart_id(chart_id: str) -> str:
    cleaned = re.sub(r"[^a-zA-Z0-9_-]", "-", chart_id)
    return cleaned if cleaned[:1].isalpha() else "chart-" + cleaned


def _open(
    chart_id: str, width: int, height: int, title: str, desc: str, min_width: int = 0
) -> list[str]:
    # A wide chart keeps `min_width` on a small screen and scrolls in its frame, so that
    # its labels stay readable instead of shrinking to nothing.
    style = f' style="min-width: {min(width, min_width)}px"' if min_width else ""
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" role="img"{style} '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]


def percent(part: int, total: int) -> int:
    """part/total as a whole percentage, rounded half up (0 when total is 0)."""
    if total <= 0:
        return 0
    return (200 * part + total) // (2 * total)


def chart_months(
    current: str, active: Iterable[str], *, span: int = 12, minimum: int = 3
) -> list[str]:
    """The months a monthly chart shows, oldest first, ending with `current`.

    At most `span` months; leading months from before the first one with any activity
    are left out (a new account's chart is not ten empty bars), but at least `minimum`.
    """
    last = [add_months(current, -n) for n in range(span - 1, -1, -1)]
    seen = set(active)
    first = next((i for i, month in enumerate(last) if month in seen), len(last))
    return last[min(first, len(last) - minimum) :]


def monthly_bars(
    points: Sequence[tuple[str, int]],
    *,
    chart_id: str,
    title: str,
    desc: str,
    fmt: Formatter,
    plot_height: int = 180,
) -> Markup:
    """Vertical bars, one per period (label, cents), with the amount above each bar."""
    _check(points)
    chart_id = _chart_id(chart_id)
    slot, top, bottom, side = 64, 28, 28, 8
    width = max(320, side * 2 + slot * len(points))
    height = top + plot_height + bottom
    highest = max((cents for _, cents in points), default=0)
    parts = _open(chart_id, width, height, title, desc, min_width=BARS_MIN_WIDTH)
    base_y = top + plot_height
    parts.append(
        f'<line x1="{side}" y1="{base_y}" x2="{width - side}" y2="{base_y}" '
        f'stroke="{GRID}" stroke-width="1"/>'
    )
    for index, (label, cents) in enumerate(points):
        bar_height = cents * plot_height // highest if highest else 0
        if cents and not bar_height:
            bar_height = 1  # a tiny amount stays visible
        x = side + index * slot
        bar_x = x + 10
        parts.append(
            f'<rect x="{bar_x}" y="{base_y - bar_height}" width="{slot - 20}" '
            f'height="{bar_height}" fill="{PALETTE[0]}"/>'
        )
        centre = x + slot // 2
        parts.append(
            f'<text x="{centre}" y="{base_y - bar_height - 6}" text-anchor="middle" '
            f'font-size="12" fill="{TEXT}" {FONT}>{escape(fmt(cents))}</text>'
        )
        parts.append(
            f'<text x="{centre}" y="{base_y + 18}" text-anchor="middle" font-size="12" '
            f'fill="{TEXT}" {FONT}>{escape(label)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def share_bars(
    items: Sequence[tuple[str, int]],
    *,
    chart_id: str,
    title: str,
    desc: str,
    fmt: Formatter,
    width: int = 480,
) -> Markup:
    """Where money went: one stacked bar of the whole, then one labelled bar per recipient.

    Items are drawn in the order given; callers sort them (largest first reads best).
    """
    _check(items)
    chart_id = _chart_id(chart_id)
    total = sum(cents for _, cents in items)
    side, stacked_height, row, gap = 8, 24, 44, 16
    plot_width = width - 2 * side
    captions = [
        _wrap(f"{label} — {fmt(cents)} ({percent(cents, total)} %)", plot_width)
        for label, cents in items
    ]
    height = side + stacked_height + gap + side
    height += sum(row + CAPTION_LINE_PX * (len(lines) - 1) for lines in captions)
    parts = _open(chart_id, width, height, title, desc)
    # The stacked bar: integer widths whose sum is exactly the plot width.
    x, consumed = side, 0
    for index, (_, cents) in enumerate(items):
        consumed += cents
        right = side + (consumed * plot_width // total if total else 0)
        if right > x:
            parts.append(
                f'<rect x="{x}" y="{side}" width="{right - x}" height="{stacked_height}" '
                f'fill="{PALETTE[index % len(PALETTE)]}"/>'
            )
        x = right
    highest = max((cents for _, cents in items), default=0)
    y = side + stacked_height + gap
    for index, ((_, cents), lines) in enumerate(zip(items, captions, strict=True)):
        colour = PALETTE[index % len(PALETTE)]
        spans = "".join(
            f'<tspan x="{side}" dy="{0 if n == 0 else CAPTION_LINE_PX}">{escape(line)}</tspan>'
            for n, line in enumerate(lines)
        )
        parts.append(
            f'<text x="{side}" y="{y + 14}" font-size="13" fill="{TEXT}" {FONT}>{spans}</text>'
        )
        y += CAPTION_LINE_PX * (len(lines) - 1)
        bar = cents * plot_width // highest if highest else 0
        if cents and not bar:
            bar = 1
        parts.append(f'<rect x="{side}" y="{y + 20}" width="{bar}" height="14" fill="{colour}"/>')
        y += row
    parts.append("</svg>")
    return Markup("".join(parts))


def _wrap(caption: str, plot_width: int) -> list[str]:
    """The caption in lines that fit the plot's width (the page's table has it whole)."""
    per_line = max(10, plot_width // CAPTION_CHAR_PX)
    lines = textwrap.wrap(
        caption, per_line, max_lines=CAPTION_MAX_LINES, placeholder=" …", break_on_hyphens=False
    )
    return lines or [caption]
