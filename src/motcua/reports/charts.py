"""Small SVG charts for the leaders' dashboard (pure: no Django), drawn on the server so that the pages need
no chart library, no CDN and no script.

Each builder returns the markup of one ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` (what a
screen reader announces); the page puts the figures again in a data table after each chart. Every text
is escaped here, so callers may pass names as people typed them. Colours come from CSS classes (the
Content-Security-Policy forbids ``style`` attributes): ``chart``, ``bar``, ``series-<n>``, ``axis``,
``grid``, ``label``, ``value`` and ``legend``. Positions are SVG attributes in a ``viewBox``, so a chart
scales to the width of its box, from a 360 px phone up.

The captions are the caller's (already translated); numbers are written the Vietnamese way (1.234 and
83,5 %).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

__all__ = ["Series", "format_count", "format_percent", "grouped_bars", "histogram", "horizontal_bars",
           "nice_ceiling"]

FONT = 13  # px in the viewBox


@dataclass(frozen=True)
class Series:
    """One kind of bar: its name in the legend and its value for each category."""

    name: str
    values: tuple[int, ...]


def format_count(n: int) -> str:
    """1234567 → "1.234.567"."""
    return f"{n:,}".replace(",", ".")


def format_percent(value: float | None, digits: int = 1) -> str:
    """83.333 → "83,3 %"; None (nothing to measure) → "—"."""
    if value is None:
        return "—"
    return f"{value:.{digits}f}".replace(".", ",") + " %"


def nice_ceiling(value: float, steps: int = 4) -> int:
    """The top of a scale of ``steps`` equal steps that reaches ``value``, each step a whole 1, 2, 2.5, 3 or
    5 × 10ⁿ, so that every tick is a round whole number (736 → 800: ticks of 200)."""
    need = max(value, 1) / steps
    magnitude = 10 ** math.floor(math.log10(need))
    for factor in (1, 2, 2.5, 3, 5, 10):
        step = factor * magnitude
        if step >= need and float(step).is_integer():
            return int(step * steps)
    return int(10 * magnitude * steps)  # pragma: no cover - factor 10 always qualifies


def _attr(value: object) -> str:
    return escape(str(value), quote=True)


def _num(value: float) -> str:
    """A coordinate with at most one decimal, no trailing zeros."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _open(chart_id: str, title: str, desc: str, width: int, height: int, kind: str) -> list[str]:
    cid = _attr(chart_id)
    return [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{kind}" id="{cid}" role="img" '
            f'viewBox="0 0 {width} {height}" aria-labelledby="{cid}-title {cid}-desc" '
            f'preserveAspectRatio="xMidYMid meet" font-size="{FONT}">',
            f'<title id="{cid}-title">{escape(title)}</title>',
            f'<desc id="{cid}-desc">{escape(desc)}</desc>']


def _text(x: float, y: float, text: str, cls: str, anchor: str = "start") -> str:
    """A label; a line break in ``text`` starts a second line under the first."""
    first, *rest = text.split("\n")
    more = "".join(f'<tspan x="{_num(x)}" dy="1.15em">{escape(line)}</tspan>' for line in rest)
    return f'<text class="{cls}" x="{_num(x)}" y="{_num(y)}" text-anchor="{anchor}">{escape(first)}{more}</text>'


def _rect(x: float, y: float, w: float, h: float, cls: str, tip: str) -> str:
    return (f'<rect class="{cls}" x="{_num(x)}" y="{_num(y)}" width="{_num(max(w, 0))}" height="{_num(max(h, 0))}">'
            f'<title>{escape(tip)}</title></rect>')


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _empty(parts: list[str], width: int, height: int, empty_text: str) -> str:
    parts.append(_text(width / 2, height / 2, empty_text, "label empty", "middle"))
    parts.append("</svg>")
    return "".join(parts)


def grouped_bars(*, chart_id: str, title: str, desc: str, categories: Sequence[str], series: Sequence[Series],
                 names: Sequence[str] | None = None, empty_text: str = "Chưa có số liệu", width: int = 420,
                 height: int = 240) -> str:
    """Vertical bars side by side for each category (received and resolved by month), with a legend, a
    count scale of four steps and each bar's figure in its tooltip. A category's axis label may hold a line
    break ("1\n2026"); ``names`` are the categories' full names for the tooltips (the labels by default)."""
    if any(len(s.values) != len(categories) for s in series) or (names is not None and len(names) != len(categories)):
        raise ValueError("every series needs one value per category")
    names = names if names is not None else [c.replace("\n", " ") for c in categories]
    parts = _open(chart_id, title, desc, width, height, "grouped")
    left, right, top, bottom = 40, 4, 30, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    # legend
    x = left
    for n, s in enumerate(series, start=1):
        parts.append(f'<rect class="legend-key series-{n}" x="{x}" y="6" width="12" height="12"/>')
        parts.append(_text(x + 16, 16, s.name, "legend"))
        x += 24 + int(len(s.name) * FONT * 0.58)
    peak = max((v for s in series for v in s.values), default=0)
    if not categories or peak <= 0:
        parts.append(f'<line class="axis" x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}"/>')
        return _empty(parts, width, height, empty_text)
    ceiling = nice_ceiling(peak)
    for i in range(5):
        value = ceiling * i / 4
        y = top + plot_h - plot_h * i / 4
        parts.append(f'<line class="grid" x1="{left}" y1="{_num(y)}" x2="{left + plot_w}" y2="{_num(y)}"/>')
        parts.append(_text(left - 6, y + 4, format_count(round(value)), "label", "end"))
    slot = plot_w / len(categories)
    bar_w = slot * 0.8 / max(len(series), 1)
    for c, category in enumerate(categories):
        x0 = left + c * slot + slot * 0.1
        for n, s in enumerate(series):
            h = plot_h * s.values[c] / ceiling
            parts.append(_rect(x0 + n * bar_w, top + plot_h - h, bar_w, h, f"bar series-{n + 1}",
                               f"{names[c]} — {s.name}: {format_count(s.values[c])}"))
        parts.append(_text(left + c * slot + slot / 2, top + plot_h + 16, category, "label", "middle"))
    parts.append(f'<line class="axis" x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}"/>')
    parts.append("</svg>")
    return "".join(parts)


def horizontal_bars(*, chart_id: str, title: str, desc: str, items: Sequence[tuple[str, float | None]],
                    empty_text: str = "Chưa có số liệu", none_text: str = "không có hồ sơ đã giải quyết",
                    good: float = 90.0, fair: float = 70.0, width: int = 420, label_chars: int = 22) -> str:
    """One bar per item on a 0–100 % scale (on-time rate by division). A bar is ``rate-good`` from ``good``
    per cent, ``rate-fair`` from ``fair``, else ``rate-poor``; its figure is written after it, so colour is
    never the only carrier. An item without a value (nothing resolved) gets no bar and ``none_text``."""
    row_h, top, bottom = 28, 8, 28
    label_w, value_w = int(label_chars * FONT * 0.62) + 8, 60  # DejaVu Sans is wide: ~0.6 em a letter
    height = top + bottom + row_h * max(len(items), 1)
    parts = _open(chart_id, title, desc, width, height, "horizontal")
    plot_x, plot_w = label_w, width - label_w - value_w
    base = top + row_h * max(len(items), 1)
    for pct in (0, 25, 50, 75, 100):
        x = plot_x + plot_w * pct / 100
        parts.append(f'<line class="grid" x1="{_num(x)}" y1="{top}" x2="{_num(x)}" y2="{base}"/>')
        parts.append(_text(x, base + 16, f"{pct} %", "label", "middle"))
    if not items:
        return _empty(parts, width, height - bottom, empty_text)
    for i, (name, value) in enumerate(items):
        y = top + i * row_h
        parts.append(_text(plot_x - 6, y + row_h / 2 + 4, _shorten(name, label_chars), "label", "end"))
        if value is None:
            parts.append(_text(plot_x + 4, y + row_h / 2 + 4, none_text, "label muted"))
            continue
        clamped = min(max(value, 0.0), 100.0)
        cls = "rate-good" if clamped >= good else "rate-fair" if clamped >= fair else "rate-poor"
        w = plot_w * clamped / 100
        parts.append(_rect(plot_x, y + 5, w, row_h - 10, f"bar {cls}", f"{name}: {format_percent(value)}"))
        parts.append(_text(plot_x + w + 4, y + row_h / 2 + 4, format_percent(value), "value"))
    parts.append(f'<line class="axis" x1="{plot_x}" y1="{top}" x2="{plot_x}" y2="{base}"/>')
    parts.append("</svg>")
    return "".join(parts)


def histogram(*, chart_id: str, title: str, desc: str, buckets: Sequence[tuple[str, int]],
              empty_text: str = "Chưa có số liệu", width: int = 420, height: int = 220) -> str:
    """Adjacent bars, one per bucket (the backlog by age), each with its count written above it; the last
    bucket (the oldest) is ``bucket-last`` so that a stylesheet may set it apart."""
    parts = _open(chart_id, title, desc, width, height, "histogram")
    left, right, top, bottom = 8, 8, 24, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    base = top + plot_h
    peak = max((count for _label, count in buckets), default=0)
    if not buckets or peak <= 0:
        parts.append(f'<line class="axis" x1="{left}" y1="{base}" x2="{left + plot_w}" y2="{base}"/>')
        return _empty(parts, width, height, empty_text)
    slot = plot_w / len(buckets)
    for i, (label, count) in enumerate(buckets):
        h = plot_h * count / peak
        x = left + i * slot
        cls = "bar bucket" + (" bucket-last" if i == len(buckets) - 1 else "")
        parts.append(_rect(x + 1, base - h, slot - 2, h, cls, f"{label}: {format_count(count)}"))
        parts.append(_text(x + slot / 2, base - h - 6, format_count(count), "value", "middle"))
        parts.append(_text(x + slot / 2, base + 18, label, "label", "middle"))
    parts.append(f'<line class="axis" x1="{left}" y1="{base}" x2="{left + plot_w}" y2="{base}"/>')
    parts.append("</svg>")
    return "".join(parts)
