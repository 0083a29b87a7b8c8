"""Figures that pass validation but are unlikely for one member site: kept, and reported.

A quantity of 3,000,000,000 t/yr is a valid number, and no site has it; such a figure is
usually a unit slip (kilograms written as tonnes) or a lost decimal separator, and one of them
would dominate every heat map and site score. The importer stores the row as written (nothing
is lost, the practitioner decides) and lists it in :attr:`ImportReport.warnings
<geo.importer.run.ImportReport>` with the reason.
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np
import pandas as pd

from geo.i18n import _, format_number

__all__ = ["PLAUSIBLE_MAX", "WARNING_COLUMNS", "implausible_quantities"]

PLAUSIBLE_MAX: Final = {"t/yr": 10_000_000.0, "m3/yr": 1_000_000_000.0, "MWh/yr": 50_000_000.0}
"""Per unit, the largest yearly quantity one site plausibly has or wants: ten million tonnes
(a large steelworks' slag and dusts are a few million), a thousand million cubic metres (the
largest waste-water plants treat a few hundred million), fifty million MWh (a large power
station's output)."""

WARNING_COLUMNS: Final = ["row", "column", "field", "value", "message"]
"""Columns of a warning, as of an error (:data:`geo.importer.validate.ERROR_COLUMNS`)."""


def implausible_quantities(clean: pd.DataFrame, *, column: str) -> list[dict[str, Any]]:
    """The rows of ``clean`` (validated rows, indexed by file row) whose quantity is above
    :data:`PLAUSIBLE_MAX` for its unit, as warnings naming the file's ``column``.

    Examples
    --------
    >>> rows = pd.DataFrame({"quantity": [12.0, 3e9, None], "unit": ["t/yr", "t/yr", "t/yr"]},
    ...                     index=[2, 3, 4])
    >>> [(w["row"], w["value"]) for w in implausible_quantities(rows, column="Quantity")]
    [(3, '3000000000')]
    """
    if clean.empty or "quantity" not in clean.columns:
        return []
    limit = clean["unit"].map(PLAUSIBLE_MAX).astype("float64")
    quantity = pd.to_numeric(clean["quantity"], errors="coerce").astype("float64")
    over = (quantity > limit).to_numpy(dtype=bool) & np.isfinite(quantity.to_numpy())
    out = []
    for row, q, unit in zip(clean.index[over], quantity[over], clean["unit"][over],
                            strict=True):
        out.append({
            "row": int(row), "column": column, "field": "quantity",
            "value": f"{q:.15g}" if q < 1e15 else f"{q:.6g}",
            # Translators: a quantity that passed the checks but is unlikely; {limit} is the
            # largest figure thought plausible for one site, in the same {unit}.
            "message": _("{value} {unit} is more than one site is likely to have (over "
                         "{limit} {unit}); stored as written — check the unit (kilograms "
                         "written as tonnes, kWh as MWh?) and the decimal separator.").format(
                value=format_number(q), unit=unit, limit=format_number(PLAUSIBLE_MAX[unit]))})
    return out
