"""What both views of the Browse & export page share: the catalogue's stream pick-list, the
programme's parks and location level labels, and translated table headers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from geo.catalogue import load_catalogue
from geo.errors import SymbiosisError
from geo.i18n import _
from geo.location_levels import DEFAULT_PRESET
from geo.store.locations import programme_location_preset
from ui.widgets import location_column_config

if TYPE_CHECKING:
    from geo.catalogue.catalogue import Catalogue
    from geo.programme import Programme
    from ui.context import PageContext

__all__ = ["BrowseView"]


@dataclass(frozen=True)
class BrowseView:
    """This rerun's context with the page's pick-lists.

    Attributes
    ----------
    ctx : PageContext
    catalogue : Catalogue
    selector_labels : dict
        Stream group or chapter code → its pick-list label.
    park_names : dict
        Park id → name as recorded.
    preset : str
        The programme's location level labels (省 / 市 / 园区 …).
    """

    ctx: PageContext
    catalogue: Catalogue
    selector_labels: dict[str, str]
    park_names: dict[str, str]
    preset: str

    @classmethod
    def of(cls, ctx: PageContext) -> BrowseView:
        """The view of ``ctx``'s programme."""
        cat = load_catalogue()
        groups, chapters = cat.groups(), cat.chapters()
        # Translators: a stream group of the waste catalogue in a pick-list; {label} is its
        # name.
        labels = {**{g: _("Group · {label}").format(label=_(lbl))
                     for g, lbl in zip(groups["group"], groups["label"], strict=True)},
                  # Translators: {code} is a two-digit catalogue chapter, {description} its
                  # title (in the catalogue's own language).
                  **{c: _("Chapter {code} · {description}").format(code=c,
                                                                  description=d[:60])
                     for c, d in zip(chapters["code"], chapters["description"], strict=True)}}
        parks = ctx.programme.parks
        try:  # the programme's names for its location levels (省 / 市 / 园区 …)
            preset = programme_location_preset(ctx.store, ctx.programme.name)
        except SymbiosisError:  # the database down: the demo keeps working, default labels
            preset = DEFAULT_PRESET
        return cls(ctx=ctx, catalogue=cat, selector_labels=labels,
                   park_names=dict(zip(parks["park_id"], parks["name"], strict=True)),
                   preset=preset)

    @property
    def programme(self) -> Programme:
        """The programme browsed."""
        return self.ctx.programme

    def direction_label(self, direction: str) -> str:
        """``have`` or ``want`` in this session's language."""
        return {"have": _("have"), "want": _("want")}.get(direction, direction)

    def headers(self, frame: object, **config: Any) -> dict[str, Any]:
        """Column headers of a shown table in this session's language (the data keeps its
        column names, so CSV downloads and tests read the codes); the park and location
        columns take the programme's level labels; ``config`` overrides columns."""
        return location_column_config(frame, self.preset, **config)
