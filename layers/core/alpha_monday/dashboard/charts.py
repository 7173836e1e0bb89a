"""Server-side SVG charts (pygal): drawn without JavaScript, no CDN, any width."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import pygal
from pygal.style import Style

STYLE = Style(
    background="transparent",
    plot_background="transparent",
    font_family="system-ui, sans-serif",
    colors=("#1f77b4", "#d62728", "#2ca02c", "#555555", "#9467bd"),
)


def _chart(title: str, x_labels: Sequence[str]) -> pygal.Line:
    chart = pygal.Line(
        title=title,
        js=[],  # no script from a CDN: the SVG stands alone
        disable_xml_declaration=True,
        width=720,
        height=340,
        style=STYLE,
        x_label_rotation=30,
        legend_at_bottom=True,
        truncate_legend=-1,
        y_title="%",
    )
    chart.x_labels = list(x_labels)
    return chart


def line_chart(
    title: str, x_labels: Sequence[str], series: Sequence[tuple[str, Sequence[Decimal | None]]]
) -> str:
    """One line per (name, values); a None value leaves that day's point out."""
    chart = _chart(title, x_labels)
    for name, values in series:
        chart.add(name, [None if value is None else float(value) for value in values])
    return str(chart.render(is_unicode=True))
