"""What both views of the Overview page share: its table headers and number formats."""

from __future__ import annotations

from typing import Final

from geo.i18n import N_, _

__all__ = ["TONNES", "labels"]

TONNES: Final = {"have_t": "%.0f", "want_t": "%.0f", "tonnes_have": "%.0f", "tonnes_want": "%.0f"}
"""Number formats of the tonnage columns of the page's tables."""

# Headers of the page's columns that have no general label.
LABELS: Final = {"title": N_("Title"), "have_producers": N_("Producers of haves"),
                 "want_producers": N_("Producers of wants")}


def labels() -> dict[str, str]:
    """:data:`LABELS` in this session's language."""
    return {col: _(label) for col, label in LABELS.items()}
