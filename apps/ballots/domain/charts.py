"""Bar charts as geometry, for server-rendered SVG (no JavaScript, no inline styles).

`bar_chart` turns labelled values into bars scaled to a fixed drawing area; the template only draws
the rectangles and labels it is given."""

from __future__ import annotations

from dataclasses import dataclass

CHART_WIDTH = 480
BAR_HEIGHT = 22
BAR_GAP = 8
LABEL_WIDTH = 150
VALUE_WIDTH = 70


@dataclass(frozen=True)
class Bar:
    label: str
    value_text: str
    y: int
    width: float
    text_y: int


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: tuple[Bar, ...]
    width: int
    height: int
    bar_x: int
    value_x: int
    bar_area: int


def bar_chart(*, title: str, values: list[tuple[str, float]], value_format: str = "{:,.0f}") -> BarChart:
    area = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH
    largest = max((value for _, value in values), default=0.0)
    bars = []
    for i, (label, value) in enumerate(values):
        y = i * (BAR_HEIGHT + BAR_GAP)
        width = round(area * value / largest, 1) if largest > 0 else 0.0
        bars.append(Bar(label, value_format.format(value), y, width, y + BAR_HEIGHT - 6))
    height = max(len(values) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP, BAR_HEIGHT)
    return BarChart(title, tuple(bars), CHART_WIDTH, height, LABEL_WIDTH, LABEL_WIDTH + area + 6, area)
