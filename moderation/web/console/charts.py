"""The policy simulator's two plots as geometry for an inline SVG (templates/_charts.html draws it).

Drawn on the server so the console needs no build step and no script: held comments per day under
both policies, and the distribution of one score with both policies' thresholds marked.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 12, 28  # room for the axes' labels


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: str  # "current" or "proposed": the class that colours it
    title: str  # shown on hover: what the bar counts


@dataclass(frozen=True)
class Tick:
    at: float  # x for the horizontal axis, y for the vertical one
    label: str


@dataclass(frozen=True)
class Marker:
    """A threshold: a vertical line across the plot."""

    x: float
    series: str  # current or proposed
    kind: str  # review or reject
    label: str


@dataclass
class Chart:
    title: str
    bars: list[Bar] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    bottom: float = HEIGHT - BOTTOM  # the horizontal axis's y
    right: int = WIDTH - RIGHT


def _plot_width() -> float:
    return WIDTH - LEFT - RIGHT


def _plot_height() -> float:
    return HEIGHT - TOP - BOTTOM


def _linear_ticks(top: int) -> list[Tick]:
    return [Tick(HEIGHT - BOTTOM - _plot_height() * value / top, str(value)) for value in sorted({0, top // 2, top})]


def held_per_day(title: str, days: Sequence[date], current: Sequence[int], proposed: Sequence[int]) -> Chart:
    """Two bars a day: how many comments each policy holds for a human."""
    chart = Chart(title)
    top = max([*current, *proposed, 1])
    slot = _plot_width() / max(len(days), 1)
    bar = max(slot * 0.4, 0.5)
    for n, day in enumerate(days):
        for offset, series, values in ((0.1, "current", current), (0.5, "proposed", proposed)):
            height = _plot_height() * values[n] / top
            x = LEFT + slot * n + slot * offset
            chart.bars.append(Bar(x, HEIGHT - BOTTOM - height, bar, height, series, f"{day:%d.%m}: {values[n]}"))
    every = max(1, math.ceil(len(days) / 10))  # at most about ten dates under the axis
    chart.x_ticks = [Tick(LEFT + slot * (n + 0.5), f"{day:%d.%m}") for n, day in enumerate(days) if n % every == 0]
    chart.y_ticks = _linear_ticks(top)
    return chart


def _log_height(count: int, top: int) -> float:
    return _plot_height() * math.log10(1 + count) / math.log10(1 + top)


def score_histogram(title: str, bins: Sequence[int], thresholds: Sequence[tuple[str, str, float, str]]) -> Chart:
    """Comments per score band (on a log scale: most comments score near 0), and each threshold
    (series, kind, value, label) as a line at its score."""
    chart = Chart(title)
    top = max([*bins, 1])
    width = _plot_width() / max(len(bins), 1)
    for n, count in enumerate(bins):
        height = _log_height(count, top)
        low, high = n / len(bins), (n + 1) / len(bins)
        chart.bars.append(
            Bar(
                LEFT + width * n,
                HEIGHT - BOTTOM - height,
                width * 0.9,
                height,
                "distribution",
                f"{low:.2f}–{high:.2f}: {count}",
            )
        )
    chart.x_ticks = [Tick(LEFT + _plot_width() * value, f"{value:g}") for value in (0, 0.25, 0.5, 0.75, 1)]
    powers = [10**p for p in range(int(math.log10(top)) + 1)]
    marks = [0, *powers, *([top] if top >= 2 * powers[-1] else [])]  # the top, unless it crowds a power
    chart.y_ticks = [Tick(HEIGHT - BOTTOM - _log_height(mark, top), str(mark)) for mark in marks]
    chart.markers = [
        Marker(LEFT + _plot_width() * min(value, 1.0), series, kind, label) for series, kind, value, label in thresholds
    ]
    return chart
