"""The card's PNG charts, drawn with matplotlib's Agg backend from the real figures of a build.

Figures are built with the object API (no pyplot, no global state) and saved without the
``Software`` PNG text chunk, so the same figures give byte-identical files.
"""

from __future__ import annotations

import io
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from hestai_datagen.dataset._files import atomic_write_bytes
from hestai_datagen.dataset.stats import DatasetStats

CHART_DIR = "charts"
PRIORITY_CHART = f"{CHART_DIR}/priorities.png"
SCENARIO_CHART = f"{CHART_DIR}/scenarios.png"
LENGTH_CHART = f"{CHART_DIR}/conversation_lengths.png"
CHART_FILES = (PRIORITY_CHART, SCENARIO_CHART, LENGTH_CHART)

_SPLIT_COLOURS = {
    "train": "#4C72B0",
    "validation": "#DD8452",
    "test": "#55A868",
    "heldout": "#8172B3",
}
_PRIORITY_ORDER = {"P1": 0, "P2": 1, "P3": 2, "INTEGRATION": 3}
_PNG_METADATA: dict[str, str | None] = {"Software": None}


def _png(figure: Figure) -> bytes:
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, metadata=_PNG_METADATA)
    return buffer.getvalue()


def _stacked_bars(
    title: str,
    labels: list[str],
    per_split: dict[str, dict[str, int]],
    splits: list[str],
    *,
    horizontal: bool,
) -> bytes:
    height = max(3.0, 0.35 * len(labels) + 1.5) if horizontal else 4.0
    figure = Figure(figsize=(8.0, height))
    axes = figure.add_subplot()
    base = [0] * len(labels)
    for split in splits:
        values = [per_split.get(label, {}).get(split, 0) for label in labels]
        colour = _SPLIT_COLOURS.get(split, "#937860")
        if horizontal:
            axes.barh(labels, values, left=base, label=split, color=colour)
        else:
            axes.bar(labels, values, bottom=base, label=split, color=colour)
        base = [b + v for b, v in zip(base, values, strict=True)]
    if horizontal:
        axes.invert_yaxis()
        axes.set_xlabel("examples")
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    else:
        axes.set_ylabel("examples")
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_title(title)
    axes.legend(title="split", fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1.0))
    figure.tight_layout()
    return _png(figure)


def priority_chart(stats: DatasetStats, splits: list[str]) -> bytes:
    """Examples per priority, stacked by split."""
    labels = sorted(stats.priorities, key=lambda p: (_PRIORITY_ORDER.get(p, 99), p))
    return _stacked_bars(
        "Examples per priority", labels, stats.priorities, splits, horizontal=False
    )


def scenario_chart(stats: DatasetStats, splits: list[str]) -> bytes:
    """Examples per scenario, stacked by split."""
    labels = sorted(stats.scenarios)
    return _stacked_bars("Examples per scenario", labels, stats.scenarios, splits, horizontal=True)


def length_chart(stats: DatasetStats) -> bytes:
    """Histogram of conversation lengths (messages per example)."""
    figure = Figure(figsize=(8.0, 4.0))
    axes = figure.add_subplot()
    lengths = sorted(stats.conversation_lengths)
    axes.bar(lengths, [stats.conversation_lengths[n] for n in lengths], color="#4C72B0")
    axes.set_xlabel("messages per conversation")
    axes.set_ylabel("examples")
    axes.set_title("Conversation lengths")
    axes.set_xticks(lengths)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    figure.tight_layout()
    return _png(figure)


def write_charts(folder: Path, stats: DatasetStats, splits: list[str]) -> list[str]:
    """Draw the three charts into ``folder/charts``; their paths relative to ``folder``."""
    drawn = {
        PRIORITY_CHART: priority_chart(stats, splits),
        SCENARIO_CHART: scenario_chart(stats, splits),
        LENGTH_CHART: length_chart(stats),
    }
    for rel, data in drawn.items():
        atomic_write_bytes(folder / rel, data)
    return list(drawn)
