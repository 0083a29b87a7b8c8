"""Stream labels of resources for reports: the catalogue's stream group, else its chapter.

Reports group resources "by stream" through the waste catalogue (:mod:`geo.catalogue`): a
code in one of the catalogue's stream groups (``plastics``, ``organics``…) takes the first
such group's label, in the catalogue's file order; other codes take their chapter's label.
Uncoded energy, water and logistics records are their own streams.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Final

import pandas as pd

from geo.errors import CatalogueError
from geo.i18n import N_, _

if TYPE_CHECKING:
    from geo.catalogue import Catalogue

__all__ = ["UNCODED_LABELS", "stream_labels"]

logger = logging.getLogger(__name__)

UNCODED_LABELS: Final = {"energy": N_("Energy"), "water": N_("Water"),
                         "logistics": N_("Logistics capacity"),
                         "material": N_("Uncoded material")}
"""Stream of an uncoded resource by its class (translated with ``_`` where shown)."""


def _label(code: str, catalogue: Catalogue | None, labels: dict[str, str]) -> str:
    if catalogue is None:
        return _("Chapter {chapter}").format(chapter=code[:2])
    try:
        groups = catalogue.groups_of(code)
        if groups:
            return labels.get(groups[0], groups[0])
        return catalogue.chapter_label(catalogue.chapter_of(code))
    except CatalogueError:
        return _("Chapter {chapter} (code not in the catalogue)").format(chapter=code[:2])


def stream_labels(codes: pd.Series, classes: pd.Series,
                  catalogue: Catalogue | None) -> pd.Series:
    """The stream of each resource (index preserved), one catalogue look-up per distinct code.

    Labels of the catalogue's groups and chapters are the catalogue's own; our labels (the
    uncoded classes, a chapter without a catalogue) are in this session's language.

    Examples
    --------
    >>> from geo.catalogue import load_catalogue
    >>> s = stream_labels(pd.Series(["150102", None, "100101"]),
    ...                   pd.Series(["material", "energy", "material"]), load_catalogue())
    >>> s.tolist()[:2]
    ['Plastics', 'Energy']
    """
    code = codes.astype(object).where(codes.notna() & (codes.astype(str) != ""), None)
    uniq = pd.unique(code.dropna().astype(str))
    labels: dict[str, str] = {}
    if catalogue is not None:
        table = catalogue.groups()
        labels = dict(zip(table["group"].astype(str), table["label"].astype(str), strict=True))
    lookup = {c: _label(c, catalogue, labels) for c in uniq}
    out = code.map(lookup).astype(object)
    uncoded = code.isna()
    shown = {k: _(v) for k, v in UNCODED_LABELS.items()}
    out[uncoded] = classes[uncoded].map(shown).fillna(shown["material"])
    return out
