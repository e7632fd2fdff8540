"""Legend bodies (escaped HTML) for the dock of ui.map.elements.Legend."""
from __future__ import annotations

from collections.abc import Sequence

from ui.text import esc


def legend_body(items: Sequence[tuple[str, str]], note: str | None = None,
                dashed: bool = False) -> str:
    """(colour, label) swatches and an optional note, escaped."""
    cls = ' class="snm-dash"' if dashed else ""
    rows = "".join(
        f'<div><i{cls} style="background:{esc(color)};border-color:{esc(color)}"></i>'
        f"{esc(label)}</div>" for color, label in items)
    note_html = f'<div class="snm-note">{esc(note)}</div>' if note else ""
    return rows + note_html
