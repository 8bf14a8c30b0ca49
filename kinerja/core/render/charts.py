"""Charts for the documents (matplotlib, no pyplot state), drawn from the same figures as the pages.
Black-and-white print safe: grey fills told apart by hatching, lines by dash style and marker, every
bar labelled with its value in Indonesian format."""

from __future__ import annotations

import io
import textwrap
from decimal import Decimal

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from kinerja.core.formatting import format_number, format_percent

GREYS = ["#404040", "#a0a0a0", "#e0e0e0", "#707070"]
HATCHES = ["", "///", "..", "xx"]
LINES = [("-", "o"), ("--", "s"), (":", "^"), ("-.", "D")]
DPI = 150


def _png(figure: Figure) -> bytes:
    FigureCanvasAgg(figure)
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI, bbox_inches="tight")
    return out.getvalue()


def _figure(width_in: float, height_in: float) -> Figure:
    figure = Figure(figsize=(width_in, height_in))
    figure.set_facecolor("white")
    return figure


def _style(ax) -> None:
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)
    ax.tick_params(labelsize=8)


def _rupiah_axis(value, _pos) -> str:
    """Axis ticks in millions: 'Rp 3.500 jt'."""
    return f"{format_number(Decimal(str(value)) / Decimal(1_000_000), 0)} jt"


def achievement_bars(
    labels: list[str],
    values: list[Decimal | None],
    target_line=100,
    texts: list[str] | None = None,
) -> bytes:
    """Achievement per IKK (horizontal bars). An indicator without a number has no bar and keeps its
    place with its reason written where the bar would be (`texts`: "N/A", "belum diisi")."""
    height = max(2.2, 0.28 * len(labels) + 0.8)
    figure = _figure(6.3, height)
    ax = figure.add_subplot()
    positions = list(range(len(labels)))[::-1]
    numbers = [float(v) if v is not None else 0.0 for v in values]
    bars = ax.barh(positions, numbers, color=GREYS[1], edgecolor="black", linewidth=0.5)
    reasons = texts or ["N/A"] * len(values)
    for bar, value, reason in zip(bars, values, reasons, strict=True):
        text = format_percent(value) if value is not None else reason
        ax.text(
            bar.get_width() + 1, bar.get_y() + bar.get_height() / 2, text, va="center", fontsize=7
        )
    ax.axvline(target_line, color="black", linestyle="--", linewidth=0.8)
    ax.set_yticks(positions, labels, fontsize=7)
    ax.set_xlabel("Capaian (%)", fontsize=8)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: format_number(Decimal(str(v)), 0)))
    top = max([n for n in numbers] + [100])
    ax.set_xlim(0, top * 1.18)
    _style(ax)
    return _png(figure)


def grouped_bars(
    categories: list[str], series: dict[str, list[Decimal | None]], *, rupiah: bool = True
) -> bytes:
    """Bars per category (e.g. years) and series (e.g. spending types), hatched for print."""
    figure = _figure(6.3, 3.0)
    ax = figure.add_subplot()
    n = max(1, len(series))
    width = 0.8 / n
    for i, (name, values) in enumerate(series.items()):
        xs = [c + (i - (n - 1) / 2) * width for c in range(len(categories))]
        numbers = [float(v) if v is not None else 0.0 for v in values]
        bars = ax.bar(
            xs,
            numbers,
            width,
            label=name,
            color=GREYS[i % 4],
            hatch=HATCHES[i % 4],
            edgecolor="black",
            linewidth=0.5,
        )
        for bar, value in zip(bars, values, strict=True):
            if value is None:
                label = "-"
            elif rupiah:
                label = format_number(Decimal(value) / Decimal(1_000_000), 0)
            else:
                label = format_number(value, 2)
            ax.text(
                bar.get_x() + bar.get_width() / 2,
                bar.get_height(),
                label,
                ha="center",
                va="bottom",
                fontsize=6,
            )
    ax.set_xticks(range(len(categories)), categories, fontsize=8)
    if rupiah:
        ax.yaxis.set_major_formatter(FuncFormatter(_rupiah_axis))
        ax.set_ylabel("Rupiah (juta)", fontsize=8)
    _legend_below(ax, len(series))
    _style(ax)
    return _png(figure)


def _legend_below(ax, entries: int) -> None:
    """The legend under the plot, so no value label can sit under it; headroom for the labels."""
    bottom, top = ax.get_ylim()
    ax.set_ylim(bottom, top + (top - bottom) * 0.12)
    ax.legend(
        fontsize=7,
        frameon=False,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.14),
        ncol=max(1, min(entries, 4)),
    )


def lines(
    categories: list[str],
    series: dict[str, list[Decimal | None]],
    *,
    ylabel: str,
    rupiah: bool = False,
    ylim=None,
) -> bytes:
    """Lines over categories (months, years), told apart by dash style and marker."""
    figure = _figure(6.3, 2.8)
    ax = figure.add_subplot()
    for i, (name, values) in enumerate(series.items()):
        style, marker = LINES[i % 4]
        points = [(x, float(v)) for x, v in enumerate(values) if v is not None]
        if not points:
            continue
        xs, ys = zip(*points, strict=True)
        ax.plot(xs, ys, linestyle=style, marker=marker, color="black", label=name, markersize=4)
        if not rupiah:
            for x, y in points:
                ax.annotate(
                    format_number(Decimal(str(y)), 2),
                    (x, y),
                    textcoords="offset points",
                    xytext=(0, 5),
                    ha="center",
                    fontsize=6,
                )
    ax.set_xticks(range(len(categories)), categories, fontsize=8)
    if rupiah:
        ax.yaxis.set_major_formatter(FuncFormatter(_rupiah_axis))
    else:
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: format_number(Decimal(str(v)), 0)))
    if ylim:
        ax.set_ylim(*ylim)
    ax.set_ylabel(ylabel, fontsize=8)
    _legend_below(ax, len(series))
    _style(ax)
    return _png(figure)


def organisation_chart(
    head: tuple[str, str], second: list[tuple[str, str]], third: list[tuple[str, str]]
) -> bytes:
    """The facility's structure: the head on top, the sub-division, sections and security unit
    under it, the posts below them on a third row. Each box: the title, the name under it."""
    columns = max(len(second), len(third), 1)
    width = max(6.3, 1.9 * columns)
    figure = _figure(width, 3.6 if third else 2.6)
    ax = figure.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_xlim(0, columns)
    rows = 3 if third else 2
    ax.set_ylim(0, rows)

    def box(x: float, y: float, title: str, name: str) -> None:
        ax.text(
            x,
            y,
            f"{textwrap.fill(title, 22)}\n\n{textwrap.fill(name, 24)}",
            ha="center",
            va="center",
            fontsize=6.5,
            bbox={"boxstyle": "square,pad=0.5", "facecolor": "white", "edgecolor": "black"},
        )

    top_y = rows - 0.5
    centre = columns / 2
    box(centre, top_y, *head)
    for row, people in ((rows - 1.5, second), (rows - 2.5, third)):
        if not people:
            continue
        step = columns / len(people)
        xs = [step * (i + 0.5) for i in range(len(people))]
        bar_y = row + 0.5
        ax.plot([centre, centre], [row + 1 - 0.18, bar_y], color="black", linewidth=0.7)
        ax.plot([min(xs), max(xs)], [bar_y, bar_y], color="black", linewidth=0.7)
        for x, (title, name) in zip(xs, people, strict=True):
            ax.plot([x, x], [bar_y, row + 0.3], color="black", linewidth=0.7, zorder=0)
            box(x, row, title, name)
    return _png(figure)
