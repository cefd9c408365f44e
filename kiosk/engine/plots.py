"""The optional PNG plots' one frame: matplotlib checked once, two panels, saved one way.

``kiosk eval --plot`` (``calibration.plot_scores``) and ``kiosk liveness eval --plot``
(``pad_eval.plot_pad``) draw a histogram beside a curve. matplotlib is imported here only,
and only when a plot is asked for: the kiosk bundle leaves it out, and everything else in
the engine works without it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.errors import KioskError

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def plotting_backend(target: Path) -> tuple[Any, Any]:
    """matplotlib's ``Figure`` and Agg canvas, or a clear error; call it before long work."""
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        raise KioskError(
            "plotting needs matplotlib, which is not installed here",
            hint="install it (pip install matplotlib) or leave out --plot; the kiosk bundle does not include it",
        ) from None
    if not Path(target).parent.is_dir():
        raise KioskError(f"{target}: folder {Path(target).parent} does not exist")
    return Figure, FigureCanvasAgg


def two_panels(target: Path) -> tuple[Figure, Any, Any]:
    """A wide figure with a histogram panel (left) and a curve panel (right)."""
    figure_type, canvas_type = plotting_backend(target)
    figure = figure_type(figsize=(11, 4.5), dpi=100)
    canvas_type(figure)
    left, right = figure.subplots(1, 2)
    return figure, left, right


def save(figure: Figure, target: Path) -> Path:
    """Lay the panels out and write the PNG."""
    figure.tight_layout()
    figure.savefig(Path(target), format="png")
    return Path(target)
