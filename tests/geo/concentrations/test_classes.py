"""Tests of classed surfaces (geo.concentrations.classes): geometric classes, never figures."""

from __future__ import annotations

import numpy as np
import pyproj
import pytest

from geo.concentrations.classes import (
    N_CLASSES,
    class_breaks,
    classed_surface,
    quantise,
)
from geo.concentrations.density import KDEParams, kde_surface
from geo.errors import SymbiosisError

UTM35 = pyproj.CRS.from_epsg(32635)


def test_breaks_are_geometric_rounded_and_cover_the_largest_value() -> None:
    """Limits rise by about the same ratio, have two significant figures, top ≥ the maximum."""
    breaks = class_breaks(1234.5)
    assert len(breaks) == N_CLASSES + 1
    assert breaks[-1] >= 1234.5
    ratios = np.array(breaks[1:]) / np.array(breaks[:-1])
    assert ratios.min() > 2.3 and ratios.max() < 3.1
    assert all(float(f"{b:.2g}") == b for b in breaks)


@pytest.mark.parametrize("vmax", [0.0, -1.0, float("nan")])
def test_nothing_to_draw_has_no_classes(vmax: float) -> None:
    """A surface with nothing on it has no limits, and every cell is class 0."""
    assert class_breaks(vmax) == ()
    classes, breaks = quantise(np.full((3, 3), vmax))
    assert breaks == () and not classes.any()


def test_every_value_falls_in_the_class_of_its_limits() -> None:
    """A value v in class i satisfies breaks[i-1] ≤ v < breaks[i] (the top class inclusive)."""
    rng = np.random.default_rng(3)
    values = rng.lognormal(0, 2, 1000)
    classes, breaks = quantise(values)
    b = np.asarray(breaks)
    shown = classes > 0
    assert (values[~shown] < b[0]).all()
    assert (b[classes[shown] - 1] <= values[shown]).all()
    assert (values[shown] <= b[classes[shown]]).all()


def test_bad_class_counts_are_refused() -> None:
    """Zero or a silly number of classes is refused with the allowed range."""
    with pytest.raises(SymbiosisError, match="1 to 12"):
        class_breaks(10.0, n_classes=0)


def test_classed_surface_keeps_classes_not_figures_and_tags_a_released_total_only() -> None:
    """The classed surface holds uint8 classes; its tags carry the total only when given."""
    s = kde_surface(np.array([500_000.0, 501_000.0]), np.array([6_710_000.0] * 2),
                    np.array([100.0, 30.0]), crs=UTM35, params=KDEParams(bandwidth_m=500))
    withheld = classed_surface(s, total_tonnes=None, unplaced_tonnes=12.0)
    assert withheld.classes.dtype == np.uint8 and withheld.classes.max() == N_CLASSES
    assert "total_tonnes" not in withheld.tags()
    assert withheld.tags()["unplaced_tonnes"] == "12"
    assert "geometric classes" in withheld.method
    shown = classed_surface(s, total_tonnes=130.0, unplaced_tonnes=0.0)
    assert shown.tags()["total_tonnes"] == "130"
    assert len(shown.class_labels()) == N_CLASSES
