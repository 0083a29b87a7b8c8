"""Cited, versioned conversion factors (CO2e per km and per tonne, costs).

One table, ``data/factors/ghg_factors.csv``, used by milk-round KPIs, siting costs and
synergy outcomes alike, so every figure on screen can name its factor, source and edition.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import pandas as pd

from geo.errors import SymbiosisError
from geo.i18n import _
from geo.settings import DATA_DIR

__all__ = ["FACTORS_PATH", "Factor", "Factors", "load_factors"]

FACTORS_PATH: Final = DATA_DIR / "factors" / "ghg_factors.csv"
_COLUMNS: Final = ("name", "value", "unit", "description", "source", "version", "url")


@dataclass(frozen=True)
class Factor:
    """One conversion factor with its provenance."""

    name: str
    value: float
    unit: str
    description: str
    source: str
    version: str
    url: str = ""

    def cite(self) -> str:
        """Short citation for display: ``0.107 kg CO2e/tonne-km (UK Government …, 2024)``.

        Language-neutral (a decimal point), since it is also stored with results that other
        sessions read; :meth:`cite_here` writes the figure as this session's language does.
        """
        return self._cite(f"{self.value:g}")

    def _cite(self, figure: str) -> str:
        return f"{figure} {self.unit} ({self.source}, {self.version})"

    def cite_here(self) -> str:
        """:meth:`cite` with the figure written in this session's language (``0,107 kg …``
        in Portuguese), for text made when it is shown (:class:`geo.synergies.text.Note`).

        Examples
        --------
        >>> from geo.i18n import use_locale
        >>> f = Factor("x", 0.107, "kg CO2e/tonne-km", "", "Source", "2024")
        >>> with use_locale("pt_BR"):
        ...     f.cite_here(), Factor("y", 0.00054, "t", "", "S", "1").cite_here()
        ('0,107 kg CO2e/tonne-km (Source, 2024)', '0,00054 t (S, 1)')
        """
        from decimal import Decimal

        from geo.i18n import format_number

        # the decimals the figure has (0.00054 has 5; "{:g}" would write 5.4e-04)
        exponent = Decimal(repr(float(self.value))).normalize().as_tuple().exponent
        digits = min(max(0, -int(exponent)), 12)
        return self._cite(format_number(self.value, digits=digits))


@dataclass(frozen=True)
class Factors:
    """The factor table; look factors up by name with :meth:`get`."""

    table: pd.DataFrame
    path: Path

    def get(self, name: str) -> Factor:
        """The factor called ``name``; unknown names raise with the list of known ones."""
        rows = self.table[self.table["name"] == name]
        if rows.empty:
            msg = _("No conversion factor named {name!r} in {file}; known: {known}. Add a row to "
                    "the file.").format(name=name, file=self.path.name,
                                        known=sorted(self.table["name"]))
            raise SymbiosisError(msg)
        r = rows.iloc[0]
        return Factor(name=name, value=float(r["value"]), unit=str(r["unit"]),
                      description=str(r["description"]), source=str(r["source"]),
                      version=str(r["version"]), url=str(r["url"] or ""))

    def value(self, name: str) -> float:
        """Shortcut for ``get(name).value``."""
        return self.get(name).value


@functools.lru_cache(maxsize=8)
def _read(path: Path) -> pd.DataFrame:
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in _COLUMNS if c not in table.columns]
    if missing:
        msg = _("Factor file {file} lacks columns {missing}; expected {expected}.").format(
            file=path.name, missing=missing, expected=list(_COLUMNS))
        raise SymbiosisError(msg)
    values = pd.to_numeric(table["value"], errors="coerce")
    bad = table.loc[values.isna(), "name"].tolist()
    if bad:
        msg = _("Factor file {file}: non-numeric value for {names}; give a number.").format(
            file=path.name, names=bad)
        raise SymbiosisError(msg)
    if table["name"].duplicated().any():
        dup = table.loc[table["name"].duplicated(), "name"].tolist()
        msg = _("Factor file {file}: duplicate names {names}.").format(file=path.name,
                                                                       names=dup)
        raise SymbiosisError(msg)
    return table


def load_factors(path: str | Path | None = None) -> Factors:
    """Load the factor table (default: the shipped ``data/factors/ghg_factors.csv``).

    Examples
    --------
    >>> f = load_factors().get("hgv_co2e_kg_per_tkm")
    >>> f.unit
    'kg CO2e/tonne-km'
    """
    p = Path(path) if path is not None else FACTORS_PATH
    return Factors(table=_read(p.resolve()), path=p)
