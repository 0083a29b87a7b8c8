"""What the Synergies page's tabs share: the page's view (context, synergy book, outcome
settings, who is signed in), table headers and saving."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd
import streamlit as st

import ui
from geo.i18n import _
from geo.synergies import repository as repo
from ui.widgets import column_config

if TYPE_CHECKING:
    from geo.programme import Programme
    from geo.synergies.book import SynergyBook
    from geo.synergies.outcomes import OutcomeConfig
    from ui.context import PageContext

__all__ = ["SynergiesView", "headers", "saved"]


@dataclass(frozen=True)
class SynergiesView:
    """This rerun's context with the programme's synergies and outcome settings.

    Attributes
    ----------
    ctx : PageContext
    book : SynergyBook
        Synergies, their stage history and outcomes at this version.
    config : OutcomeConfig
        Which outcomes the programme records, in which units.
    who : str
        The person signed in (changes are recorded under this name).
    """

    ctx: PageContext
    book: SynergyBook
    config: OutcomeConfig
    who: str

    @classmethod
    def of(cls, ctx: PageContext) -> SynergiesView:
        """The view of ``ctx``'s programme (a store error is shown and stops the page)."""
        with ui.domain_errors():
            book = ctx.synergy_book
            config = repo.load_outcome_config(ctx.store, ctx.programme.name)
        return cls(ctx=ctx, book=book, config=config, who=ctx.who)

    @property
    def programme(self) -> Programme:
        """The programme whose synergies these are."""
        return self.ctx.programme

    def site_name(self, site_id: str) -> str:
        """A site's name as recorded (its id when it is not in the programme)."""
        sites = self.programme.sites
        found = sites.loc[sites["site_id"] == site_id, "name"]
        return str(found.iloc[0]) if len(found) else str(site_id)

    def writing(self) -> None:
        """Check that this person may change synergies, and store the programme before its
        first change (the embedded demo is stored with its illustrative synergies, which the
        change then updates)."""
        self.ctx.require_write(_("change synergies"))
        repo.ensure_programme(self.ctx.store, self.programme)


def headers(frame: object) -> dict[str, Any]:
    """Column headers of a shown table in this session's language (the data keeps its
    column names)."""
    history_labels = {"event_id": _("Event"), "kind": _("What happened"),
                      "from_stage": _("From stage"), "to_stage": _("To stage")}
    shown = frame if isinstance(frame, pd.DataFrame) else getattr(frame, "columns", [])
    return column_config(shown, labels=history_labels)


def saved(message: str) -> None:
    """Confirm a change and rerun the page on the new data."""
    st.toast(message, icon=":material/check:")
    st.rerun()
