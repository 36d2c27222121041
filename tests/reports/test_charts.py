"""The dashboard's SVG charts (pure): well-formed, accessible (role, title, description), escaped, coloured by
classes only (the Content-Security-Policy forbids style attributes), and drawn to scale."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.reports import charts, percentiles

NS = {"svg": "http://www.w3.org/2000/svg"}
MONTHS = [f"{m}/26" for m in range(1, 13)]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, parsed to check it is well-formed


def bars(root: ET.Element, *classes: str) -> list[ET.Element]:
    """The rectangles having every class given ("bar" by default)."""
    wanted = set(classes or ("bar",))
    return [r for r in root.iter("{http://www.w3.org/2000/svg}rect") if wanted <= set(r.get("class", "").split())]


def assert_accessible(svg: str, chart_id: str, title: str) -> ET.Element:
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == f"{chart_id}-title {chart_id}-desc"
    assert root.find("svg:title", NS).text == title
    assert root.find("svg:desc", NS).text
    assert "style=" not in svg and "<script" not in svg
    return root


def trend(**kwargs) -> str:
    values = {"categories": MONTHS, "series": [charts.Series("Tiếp nhận", tuple(range(1, 13))),
                                               charts.Series("Đã giải quyết", tuple(range(0, 12)))]}
    values.update(kwargs)
    return charts.grouped_bars(chart_id="c1", title="Theo tháng", desc="Hai cột mỗi tháng", **values)


def test_grouped_bars_draw_one_bar_per_month_and_series_with_a_legend():
    root = assert_accessible(trend(), "c1", "Theo tháng")
    assert len(bars(root, "bar", "series-1")) == 12 and len(bars(root, "bar", "series-2")) == 12
    assert len(bars(root, "legend-key")) == 2
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "Tiếp nhận" in texts and "1/26" in texts and "12/26" in texts


def test_grouped_bars_are_drawn_to_scale():
    root = parse(trend())
    received = bars(root, "bar", "series-1")
    heights = [float(r.get("height")) for r in received]
    # 12 is the highest; the scale's top is 12 (four steps of 3), so it fills the plot; 6 is half of it.
    assert heights[11] == pytest.approx(2 * heights[5], abs=0.2)
    assert heights == sorted(heights)
    assert received[0].find("svg:title", NS).text == "1/26 — Tiếp nhận: 1"


def test_an_axis_label_may_take_two_lines_and_tooltips_their_full_names():
    svg = charts.grouped_bars(chart_id="c7", title="t", desc="d", categories=["12\n2025", "1\n2026", "2"],
                              names=["tháng 12/2025", "tháng 1/2026", "tháng 2/2026"],
                              series=[charts.Series("Tiếp nhận", (1, 2, 3))])
    root = parse(svg)
    labels = [t for t in root.iter("{http://www.w3.org/2000/svg}text") if t.get("text-anchor") == "middle"]
    assert [t.text for t in labels] == ["12", "1", "2"]
    assert [[s.text for s in t] for t in labels] == [["2025"], ["2026"], []]
    assert bars(root)[0].find("svg:title", NS).text == "tháng 12/2025 — Tiếp nhận: 1"


def test_names_people_typed_are_escaped():
    svg = charts.horizontal_bars(chart_id="c2", title="A <b> & \"c\"", desc="d",
                                 items=[("Phòng <script>alert(1)</script>", 50.0)])
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    root = assert_accessible(svg, "c2", 'A <b> & "c"')
    assert bars(root)[0].find("svg:title", NS).text.startswith("Phòng <script>")


def test_a_chart_id_cannot_break_out_of_its_attribute():
    svg = charts.histogram(chart_id='x" onload="alert(1)', title="t", desc="d", buckets=[("0–2", 1)])
    assert 'onload="' not in svg
    parse(svg)


def test_horizontal_bars_use_a_0_to_100_scale_and_write_each_rate():
    svg = charts.horizontal_bars(chart_id="c3", title="Đúng hạn", desc="d",
                                 items=[("Phòng A", 100.0), ("Phòng B", 50.0), ("Phòng C", 83.333), ("Phòng D", None)],
                                 none_text="chưa có")
    root = assert_accessible(svg, "c3", "Đúng hạn")
    widths = {r.find("svg:title", NS).text.split(":")[0]: float(r.get("width")) for r in bars(root)}
    assert widths["Phòng B"] == pytest.approx(widths["Phòng A"] / 2, abs=0.1)
    assert "Phòng D" not in widths  # nothing resolved: no bar, a word instead
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "100,0 %" in texts and "83,3 %" in texts and "chưa có" in texts
    assert {"0 %", "50 %", "100 %"} <= set(texts)
    classes = [r.get("class") for r in bars(root)]
    assert classes == ["bar rate-good", "bar rate-poor", "bar rate-fair"]


def test_a_rate_outside_the_scale_is_clamped_to_it():
    svg = charts.horizontal_bars(chart_id="c4", title="t", desc="d", items=[("A", 100.0), ("B", 140.0), ("C", -5.0)])
    widths = [float(r.get("width")) for r in bars(parse(svg))]
    assert widths[1] == widths[0] and widths[2] == 0


def test_long_division_names_are_shortened_in_the_chart_but_whole_in_the_tooltip():
    name = "Phòng Công chức, viên chức và Tổ chức biên chế các cơ quan hành chính"
    root = parse(charts.horizontal_bars(chart_id="c5", title="t", desc="d", items=[(name, 90.0)], label_chars=20))
    labels = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text") if t.get("class") == "label"]
    assert any(label.endswith("…") and len(label) == 20 for label in labels)
    assert bars(root)[0].find("svg:title", NS).text.startswith(name)


def test_histogram_draws_each_bucket_with_its_count_and_marks_the_oldest():
    buckets = [("0–2 ngày", 5), ("3–5 ngày", 10), ("6–10 ngày", 0), ("11–20 ngày", 2), ("trên 20 ngày", 1)]
    root = assert_accessible(charts.histogram(chart_id="c6", title="Tuổi", desc="d", buckets=buckets), "c6", "Tuổi")
    drawn = bars(root)
    assert len(drawn) == 5
    assert float(drawn[1].get("height")) == pytest.approx(2 * float(drawn[0].get("height")), abs=0.2)
    assert float(drawn[2].get("height")) == 0
    assert "bucket-last" in drawn[-1].get("class")
    values = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text") if t.get("class") == "value"]
    assert values == ["5", "10", "0", "2", "1"]


@pytest.mark.parametrize("build", [
    lambda: charts.grouped_bars(chart_id="e", title="t", desc="d", categories=MONTHS, empty_text="Trống",
                                series=[charts.Series("a", (0,) * 12)]),
    lambda: charts.horizontal_bars(chart_id="e", title="t", desc="d", items=[], empty_text="Trống"),
    lambda: charts.histogram(chart_id="e", title="t", desc="d", buckets=[("a", 0), ("b", 0)], empty_text="Trống"),
])
def test_a_chart_without_figures_says_so_instead_of_drawing_nothing(build):
    root = parse(build())
    assert bars(root) == []
    assert "Trống" in [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]


def test_series_must_match_the_categories():
    with pytest.raises(ValueError, match="one value per category"):
        charts.grouped_bars(chart_id="x", title="t", desc="d", categories=["a", "b"], series=[charts.Series("s", (1,))])


def test_numbers_are_written_the_vietnamese_way():
    assert charts.format_count(1234567) == "1.234.567"
    assert charts.format_count(736) == "736"
    assert charts.format_percent(83.333) == "83,3 %"
    assert charts.format_percent(100, 2) == "100,00 %"
    assert charts.format_percent(None) == "—"


@pytest.mark.parametrize(("peak", "top"), [(0, 4), (1, 4), (4, 4), (5, 8), (10, 12), (13, 20), (100, 100),
                                           (101, 120), (736, 800), (1000, 1000)])
def test_the_scale_ends_on_a_round_number(peak, top):
    assert charts.nice_ceiling(peak) == top


@given(st.floats(min_value=0, max_value=10_000_000, allow_nan=False))
def test_the_scale_always_reaches_the_peak_in_four_whole_steps(peak):
    top = charts.nice_ceiling(peak)
    assert top >= peak and top % 4 == 0
    assert top <= max(4, peak * 4 + 4)  # never absurdly far above


@given(st.lists(st.integers(min_value=0, max_value=100_000), min_size=1, max_size=24))
def test_every_grouped_chart_is_well_formed_and_no_bar_leaves_the_plot(values):
    svg = charts.grouped_bars(chart_id="p", title="t", desc="d", categories=[str(i) for i in range(len(values))],
                              series=[charts.Series("a", tuple(values))])
    root = parse(svg)
    for rect in bars(root):
        assert float(rect.get("y")) >= 30 - 0.1 and float(rect.get("height")) >= 0
    assert not re.search(r'="-', svg.replace('y1="-', ""))  # no negative sizes anywhere


# Percentiles (the process measurement's arithmetic, pure)

def test_percentiles_interpolate_between_ranks_like_a_spreadsheet():
    values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    assert percentiles.median(values) == 5.5
    assert percentiles.percentile(values, 90) == pytest.approx(9.1)  # =PERCENTILE.INC(1..10; 0,9)
    assert percentiles.percentile(values, 0) == 1 and percentiles.percentile(values, 100) == 10
    assert percentiles.percentile([7], 90) == 7
    assert percentiles.median([3, 1, 2]) == 2
    assert percentiles.percentile([], 50) is None


def test_a_percentile_outside_0_to_100_is_refused():
    with pytest.raises(ValueError):
        percentiles.percentile([1, 2], 101)


@given(st.lists(st.floats(min_value=0, max_value=1e6, allow_nan=False), min_size=1, max_size=50),
       st.floats(min_value=0, max_value=100))
def test_a_percentile_lies_between_the_smallest_and_largest_value(values, q):
    p = percentiles.percentile(values, q)
    assert min(values) - 1e-6 <= p <= max(values) + 1e-6
    assert percentiles.percentile(values, 50) <= percentiles.percentile(values, 90) + 1e-6


def test_ratios_of_nothing_are_none_not_zero():
    assert percentiles.ratio(1, 3) == 33.3
    assert percentiles.ratio(2, 3, digits=2) == 66.67
    assert percentiles.ratio(0, 0) is None
    assert percentiles.ratio(1, 4, percent=False, digits=2) == 0.25
