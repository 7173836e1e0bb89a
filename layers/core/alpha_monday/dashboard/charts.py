"""Line charts on a real time axis, as geometry for the SVG template (templates/chart.svg):
no charting library, no JavaScript, no CDN; light grid, dates and units on every label.

A chart is computed here (scales, ticks, paths) and drawn by the template, which escapes
every name and label like any other page text.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

WIDTH, HEIGHT = 720, 320
LEFT, RIGHT, TOP, BOTTOM = 84, 16, 16, 48
_NICE_STEPS = (1, 2, 2.5, 5, 10)
_Y_TICKS = 5
_X_TICKS = 6
_MONTHS_SPAN = 120  # beyond this many days the axis counts months


@dataclass(frozen=True)
class Series:
    """One line: a point per date; a None value is a day left out (a gap, not a zero)."""

    name: str
    points: Sequence[tuple[date, Decimal | None]]
    # Dashed: a yardstick (the random control), not a contender's own line.
    dashed: bool = False


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    label: str  # what the point says when hovered: its date and value


@dataclass(frozen=True)
class Line:
    name: str
    index: int  # its colour and CSS class (serie-N)
    path: str
    dots: tuple[Dot, ...]
    dashed: bool = False


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Chart:
    title: str
    unit: str
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    zero_y: float | None  # the 0 line when 0 is in range
    lines: tuple[Line, ...]


def day_label(day: date) -> str:
    """The one date style of the pages: 2 Jun 2026."""
    return f"{day.day} {day:%b %Y}"


def _nice_step(span: float, ticks: int) -> float:
    raw = span / max(ticks, 1)
    magnitude = 10.0 ** math.floor(math.log10(raw))
    return next(s * magnitude for s in _NICE_STEPS if s * magnitude >= raw)


def _signed(value: float, unit: str) -> str:
    return f"{value:+g}{unit}" if value else f"0{unit}"


def _dollars(value: float, _: str) -> str:
    return f"${value:,.2f}" if value % 1 else f"${value:,.0f}"


def _value_ticks(
    low: float, high: float, unit: str, label: Callable[[float, str], str]
) -> tuple[float, float, list[Tick]]:
    if high - low < 1e-9:
        low, high = low - 1, high + 1
    step = _nice_step(high - low, _Y_TICKS)
    first, last = math.floor(low / step) * step, math.ceil(high / step) * step
    count = round((last - first) / step)
    values = [first + i * step for i in range(count + 1)]
    return first, last, [Tick(v, label(v, unit)) for v in values]


def _month_starts(start: date, end: date) -> list[date]:
    months = (end.year - start.year) * 12 + end.month - start.month
    every = max(1, math.ceil(months / _X_TICKS))
    firsts, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        first = date(year, month, 1)
        if first >= start and (month - 1) % every == 0:
            firsts.append(first)
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return firsts


def _date_ticks(start: date, end: date) -> list[tuple[date, str]]:
    span = (end - start).days
    if span > _MONTHS_SPAN:
        return [(day, f"{day:%b %Y}") for day in _month_starts(start, end)]
    every = max(1, math.ceil(span / _X_TICKS))
    return [
        (
            start + timedelta(days=d),
            f"{(start + timedelta(days=d)).day} {start + timedelta(days=d):%b}",
        )
        for d in range(0, span + 1, every)
    ]


def _path(points: Sequence[tuple[float, float] | None]) -> str:
    """An SVG path through the points, lifted over each gap."""
    commands, pen_down = [], False
    for point in points:
        if point is None:
            pen_down = False
            continue
        commands.append(f"{'L' if pen_down else 'M'}{point[0]:.1f},{point[1]:.1f}")
        pen_down = True
    return " ".join(commands)


def time_chart(
    title: str, series: Sequence[Series], unit: str = " %", *, money: bool = False
) -> Chart | None:
    """The chart of `series` on one date axis and one value axis (signed values with
    `unit` and 0 always in range, or dollars); None without a point."""
    known = [(day, float(v)) for s in series for day, v in s.points if v is not None]
    if not known:
        return None
    start, end = min(d for d, _ in known), max(d for d, _ in known)
    days = max((end - start).days, 1)
    values = [v for _, v in known]
    label = _dollars if money else _signed
    low, high, y_ticks = _value_ticks(
        min(values) if money else min(0.0, *values),
        max(values) if money else max(0.0, *values),
        unit,
        label,
    )
    plot_right, plot_bottom = WIDTH - RIGHT, HEIGHT - BOTTOM

    def x(day: date) -> float:
        return LEFT + (day - start).days / days * (plot_right - LEFT)

    def y(value: float) -> float:
        return plot_bottom - (value - low) / (high - low) * (plot_bottom - TOP)

    lines = []
    for index, item in enumerate(series):
        placed = [
            None if value is None else (x(day), y(float(value)), day, value)
            for day, value in item.points
        ]
        lines.append(
            Line(
                item.name,
                index,
                _path([None if p is None else (p[0], p[1]) for p in placed]),
                tuple(
                    Dot(
                        p[0],
                        p[1],
                        f"{item.name}, {day_label(p[2])}: "
                        + (f"${p[3]:,.2f}" if money else f"{p[3]:+.2f}{unit}"),
                    )
                    for p in placed
                    if p is not None
                ),
                item.dashed,
            )
        )
    return Chart(
        title=title,
        unit=unit.strip(),
        width=WIDTH,
        height=HEIGHT,
        plot_left=LEFT,
        plot_right=plot_right,
        plot_top=TOP,
        plot_bottom=plot_bottom,
        x_ticks=tuple(Tick(x(day), label) for day, label in _date_ticks(start, end)),
        y_ticks=tuple(Tick(y(t.position), t.label) for t in y_ticks),
        zero_y=y(0.0) if low <= 0 <= high and not money else None,
        lines=tuple(lines),
    )
