"""The flattr button as SVG, with the thing's flattr count (pure; every text escaped)."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

LABEL = "Flattr"


def _width(text: str) -> int:
    return 10 + 7 * len(text)


def render(count: int, title: str) -> str:
    label, value = LABEL, str(int(count))
    left, right = _width(label), _width(value)
    total = left + right
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="20" role="img" '
        f"aria-label={quoteattr(f'{label}: {value}')}>"
        f"<title>{escape(title)}</title>"
        f'<rect width="{left}" height="20" rx="3" fill="#555"/>'
        f'<rect x="{left}" width="{right}" height="20" rx="3" fill="#6a3"/>'
        f'<g fill="#fff" font-family="Verdana,sans-serif" font-size="11" text-anchor="middle">'
        f'<text x="{left / 2:.0f}" y="14">{escape(label)}</text>'
        f'<text x="{left + right / 2:.0f}" y="14">{escape(value)}</text>'
        f"</g></svg>"
    )
