"""Colours, class breaks and sizes of the map (no folium): one place for every visual constant.

Controller and zone colours are not here: they come from the layers' tables
(data/conflict/controllers.csv through `Layers.controllers`, the `color` column of zones.csv).
"""
from __future__ import annotations

import math
import zlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

# ColorBrewer YlOrRd, 5 classes.
SEQUENTIAL: tuple[str, ...] = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
CATEGORICAL: tuple[str, ...] = ("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b",
                                "#e377c2", "#17becf", "#bcbd22", "#7f7f7f", "#d62728")
EMPTY_FILL = "#f7f7f7"
FOREIGN_COLOR = "#6a51a3"  # places outside Syria (markers and clusters): purple, not a count
SELECTED_COLOR = "#0050ff"
UNKNOWN_COLOR = "#7f7f7f"


def class_breaks(values: Iterable[float], n: int = len(SEQUENTIAL)) -> list[int]:
    """Upper bounds of up to n classes over the positive counts, by quantiles of the distinct
    values, so each class holds a similar share of the units (contrast, not a top class full
    of governorates); the last bound is the maximum."""
    vals = sorted({int(v) for v in values if v is not None and not _nan(v) and v > 0})
    if not vals:
        return [1]
    if len(vals) <= n:
        return vals
    bounds = []
    for i in range(1, n + 1):
        idx = min(len(vals) - 1, math.ceil(i * len(vals) / n) - 1)
        bounds.append(vals[idx])
    return sorted(set(bounds))


def _nan(value: Any) -> bool:
    """True for a float NaN."""
    return isinstance(value, float) and math.isnan(value)


def count_color(count: float, breaks: Sequence[int]) -> str:
    """The sequential colour of a count given class upper bounds (0 gives the empty fill)."""
    if not count or _nan(count) or count <= 0:
        return EMPTY_FILL
    offset = len(SEQUENTIAL) - len(breaks)
    for i, upper in enumerate(breaks):
        if count <= upper:
            return SEQUENTIAL[max(0, offset + i)]
    return SEQUENTIAL[-1]


def class_labels(breaks: Sequence[int]) -> list[str]:
    """'1', '2–5', … for class upper bounds."""
    labels, low = [], 1
    for upper in breaks:
        labels.append(str(upper) if upper == low else f"{low}–{upper}")
        low = upper + 1
    return labels


def class_items(breaks: Sequence[int]) -> list[tuple[str, str]]:
    """(colour, label) legend rows for class bounds."""
    return [(count_color(b, breaks), label) for b, label in zip(breaks, class_labels(breaks))]


def marker_size(count: float, max_count: float, smallest: int = 14, largest: int = 40) -> int:
    """Marker diameter in px, area proportional to the count."""
    if max_count <= 0:
        return smallest
    return round(smallest + (largest - smallest) * math.sqrt(max(count, 0) / max_count))


def stable_color(key: str, palette: Mapping[str, str] | None = None) -> str:
    """A colour for a category: from palette, else a stable pick from CATEGORICAL."""
    if palette and key in palette:
        return palette[key]
    return CATEGORICAL[zlib.crc32(str(key).encode("utf-8")) % len(CATEGORICAL)]


def controller_colors(controllers: Mapping[str, Any]) -> dict[str, str]:
    """Code -> colour from the layers' controller table (Controller records or dicts)."""
    out = {}
    for code, c in controllers.items():
        color = c.get("color") if isinstance(c, Mapping) else getattr(c, "color", None)
        if color:
            out[code] = str(color)
    return out


def zone_color(row: Mapping[str, Any]) -> str:
    """A zone's colour: its `color` column (zones.csv), else a stable pick."""
    color = row.get("color")
    if isinstance(color, str) and color.startswith("#"):
        return color
    return stable_color(str(row.get("zone_id", "")))
