"""The Workshop page's three steps, drawn from ``pages/workshop.py``: haves and wants typed as
members speak (:mod:`~ui.workshop.entries`), proposed links (:mod:`~ui.workshop.links`) and
the synergies created from them (:mod:`~ui.workshop.create`), with what they share
(:mod:`~ui.workshop.common`)."""

from ui.workshop.common import WorkshopView
from ui.workshop.create import create_synergies
from ui.workshop.entries import enter_records
from ui.workshop.links import propose_links

__all__ = ["WorkshopView", "create_synergies", "enter_records", "propose_links"]
