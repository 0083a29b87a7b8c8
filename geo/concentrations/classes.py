"""Classed surfaces: a heat or catchment surface quantised into a few geometric classes.

What a viewer downloads or sees as a surface is never a floating-point grid: it is a class
number per cell (0 = nothing or below the first class, 1 … ``n`` from light to dark) and the
class limits. The limits are geometric — each class spans the same ratio (about 2.7 for seven
classes over three decades) and are rounded to two significant figures — so reading a cell's
class back tells its value only to within a factor of that ratio, whatever the value: an
attacker who inverts the smoothing from the classes starts from figures that are uncertain by
±45 %, far more than the ±10 % a disclosure needs.

The surfaces viewers see are built from released figures only
(:mod:`geo.concentrations.viewer`); classing them is a second guard, not the first.

Examples
--------
>>> classes, breaks = quantise(np.array([0.0, 0.5, 2.0, 30.0, 1000.0]), n_classes=3)
>>> classes.tolist(), breaks
([0, 0, 1, 2, 3], (1.0, 10.0, 100.0, 1000.0))
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import numpy as np

from geo.concentrations.density import method_text, unit_label
from geo.errors import SymbiosisError
from geo.i18n import _, format_number, format_tonnes

if TYPE_CHECKING:
    from affine import Affine

    from geo.concentrations.density import Surface
    from geo.concentrations.grid import Grid

__all__ = ["DECADES", "N_CLASSES", "ClassedSurface", "class_breaks", "classed_surface",
           "format_class_limit",
           "quantise"]

N_CLASSES: Final = 7
"""Classes of a viewer's surface (besides 0, nothing)."""
DECADES: Final = 3.0
"""The classes span this many powers of ten below the largest value."""


def _round_sig(value: float, digits: int = 2, *, up: bool = False) -> float:
    """``value`` to ``digits`` significant figures (rounded up when ``up``)."""
    if value <= 0 or not math.isfinite(value):
        return 0.0
    out = float(f"{value:.{digits - 1}e}")
    if up and out < value:
        step = 10 ** (math.floor(math.log10(out)) - digits + 1)
        out = float(f"{out + step:.{digits - 1}e}")
    return out


def class_breaks(vmax: float, *, n_classes: int = N_CLASSES,
                 decades: float = DECADES) -> tuple[float, ...]:
    """``n_classes + 1`` geometric class limits from ``vmax / 10**decades`` up to ``vmax``.

    Limits are rounded to two significant figures; the top one is rounded up so that the
    largest value falls in the top class. A surface with nothing on it has no classes (``()``).
    """
    if not 1 <= n_classes <= 12:
        msg = _("n_classes must be from 1 to 12, got {value}.").format(value=repr(n_classes))
        raise SymbiosisError(msg)
    if not (0.5 <= decades <= 6):
        msg = _("decades must be from 0.5 to 6, got {value}.").format(value=repr(decades))
        raise SymbiosisError(msg)
    if not (math.isfinite(vmax) and vmax > 0):
        return ()
    top = _round_sig(vmax, up=True)
    exps = np.linspace(-decades, 0.0, n_classes + 1)
    breaks = [_round_sig(top * 10**e) for e in exps[:-1]] + [top]
    return tuple(breaks)


def quantise(values: np.ndarray, *, n_classes: int = N_CLASSES,
             decades: float = DECADES) -> tuple[np.ndarray, tuple[float, ...]]:
    """Class of every value (uint8; 0 below the first limit, NaN or nothing) and the limits.

    Class ``i`` (1 … ``n_classes``) holds values from ``breaks[i-1]`` up to ``breaks[i]``.
    """
    v = np.asarray(values, dtype=float)
    shown = v[np.isfinite(v)]
    vmax = float(shown.max()) if shown.size else 0.0
    breaks = class_breaks(vmax, n_classes=n_classes, decades=decades)
    classes = np.zeros(v.shape, dtype=np.uint8)
    if breaks:
        ok = np.isfinite(v) & (v >= breaks[0])
        idx = np.searchsorted(np.asarray(breaks[1:-1]), v[ok], side="right") + 1
        classes[ok] = idx.astype(np.uint8)
    return classes, breaks


def _num(value: float) -> str:
    return f"{value:,.2g}" if value < 100 else f"{value:,.0f}"


def format_class_limit(value: float) -> str:
    """A class limit (two significant figures) as this session's language writes numbers."""
    if value >= 100 or value == 0:
        return format_number(value)
    digits = max(0, 1 - math.floor(math.log10(abs(value))))
    return format_number(float(f"{value:.2g}"), digits=digits)


@dataclass(frozen=True, eq=False)
class ClassedSurface:
    """A surface as classes (see the module docstring), with what may be said about it.

    Attributes
    ----------
    classes : ndarray of uint8, shape (ny, nx)
        0 = nothing or below the first class; 1 … ``len(breaks) - 1`` from light to dark.
    breaks : tuple of float
        Class limits in :attr:`units`, ascending (empty when nothing is drawn).
    grid : Grid
        Where the cells are (metric CRS, north-up).
    units, label, method : str
        As :class:`~geo.concentrations.density.Surface`; ``method`` also names the classing.
    distance_m : float
        Bandwidth or radius, metres.
    total_tonnes : float or None
        The selection's released total (t/yr), or None when part of it is withheld.
    unplaced_tonnes : float
        Released tonnes of the selection with no place finer than a stream (not drawn).
    """

    classes: np.ndarray
    breaks: tuple[float, ...]
    grid: Grid
    units: str
    label: str
    method: str
    distance_m: float
    total_tonnes: float | None
    unplaced_tonnes: float

    @property
    def n_classes(self) -> int:
        """Number of classes (0 when nothing is drawn)."""
        return max(len(self.breaks) - 1, 0)

    @property
    def transform(self) -> Affine:
        """Affine transform of :attr:`classes` (metres in the grid's CRS)."""
        return self.grid.transform

    @property
    def is_empty(self) -> bool:
        """Whether no cell is in a class."""
        return not bool((self.classes > 0).any())

    def class_labels(self) -> list[str]:
        """``"0.12–0.33 t/yr per km²"`` for classes 1 … n, in this session's language."""
        b = self.breaks
        units = unit_label(self.units)
        # Translators: a class of a map legend, e.g. "0.12–0.33 t/yr per km²".
        return [_("{low}–{high} {units}").format(low=format_class_limit(b[i]),
                                                  high=format_class_limit(b[i + 1]),
                                                  units=units)
                for i in range(self.n_classes)]

    def describe_classes(self) -> str:
        """One line: every class and its limits (English, for file tags and ``summary.json``)."""
        if not self.breaks:
            return "0: nothing"
        rows = [f"0: below {_num(self.breaks[0])} {self.units} or nothing"]
        b = self.breaks
        rows += [f"{i}: {_num(b[i - 1])}–{_num(b[i])} {self.units}"
                 for i in range(1, self.n_classes + 1)]
        return "; ".join(rows)

    def caption(self) -> str:
        """How it was made, and what is not drawn, in this session's language (for the page)."""
        return _("From released figures: {method} Shown in {n} geometric classes (two "
                 "significant figures). {unplaced} released with no place finer than a stream "
                 "are not drawn.").format(
                     method=method_text(self.units, self.distance_m, self.grid.cell_m),
                     n=format_number(self.n_classes),
                     unplaced=format_tonnes(self.unplaced_tonnes, digits=0, per_year=True))

    def tags(self) -> dict[str, str]:
        """Metadata for files: units, method, classes; the total only when it is released."""
        out = {"units": self.units, "label": self.label, "method": self.method,
               "values": "class numbers (see classes), not figures",
               "classes": self.describe_classes(),
               "class_breaks": ",".join(f"{b:.6g}" for b in self.breaks),
               "distance_m": f"{self.distance_m:g}",
               "unplaced_tonnes": f"{self.unplaced_tonnes:.6g}"}
        if self.total_tonnes is not None:
            out["total_tonnes"] = f"{self.total_tonnes:.6g}"
        return out


def classed_surface(surface: Surface, *, total_tonnes: float | None, unplaced_tonnes: float,
                    n_classes: int = N_CLASSES, decades: float = DECADES) -> ClassedSurface:
    """Quantise a surface (see :func:`quantise`); the figures themselves are not kept."""
    classes, breaks = quantise(surface.values, n_classes=n_classes, decades=decades)
    method = (f"{surface.method}; shown in {max(len(breaks) - 1, 0)} geometric classes "
              "(two significant figures)")
    return ClassedSurface(classes=classes, breaks=breaks, grid=surface.grid,
                          units=surface.units, label=surface.label, method=method,
                          distance_m=surface.distance_m, total_tonnes=total_tonnes,
                          unplaced_tonnes=unplaced_tonnes)
