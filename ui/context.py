"""The per-rerun context of a page: who is looking, at which programme, with which settings.

Every page starts with ``ctx = ui.page_context()`` and then reads ``ctx.programme``,
``ctx.role``, ``ctx.k`` … instead of calling half a dozen helpers. The context is built from
:mod:`ui.state` once per rerun; what it loads (the programme, the road network) is cached
by :mod:`ui.data` and :mod:`ui.network` under explicit keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from geo.confidentiality import can_see_companies
from ui import state
from ui.data import ProgrammeRef
from ui.data import programme as load_programme
from ui.data import store as open_store
from ui.data import synergy_book as load_synergy_book
from ui.legacy_pages import leave_legacy_pages_mode
from ui.network import NetworkSource, RegionLayers, network_source, usable_source
from ui.network import region_layers as load_region_layers
from ui.network import road_graph as load_road_graph
from ui.runs import matcher as cached_matcher

if TYPE_CHECKING:
    from geo.network import RoadGraph
    from geo.programme import Programme
    from geo.settings import Role, Settings
    from geo.store import Store
    from geo.synergies.book import SynergyBook
    from geo.synergies.matching import Matcher


@dataclass(frozen=True)
class PageContext:
    """What a page needs on this rerun (build it with :func:`page_context`).

    Attributes
    ----------
    programme_name : str
        :data:`~ui.state.DEMO_PROGRAMME` or a stored programme's name.
    role : str
        ``practitioner`` or ``viewer`` (see :func:`ui.state.role`).
    settings : Settings
        The settings in force.
    versions : DataVersions
        The data versions in use (see :func:`ui.state.data_versions`).
    """

    programme_name: str
    role: Role
    settings: Settings
    versions: state.DataVersions

    @property
    def k(self) -> int:
        """The confidentiality rule: viewers see aggregates over at least ``k`` producers."""
        return self.settings.k_anonymity

    @property
    def practitioner(self) -> bool:
        """Whether this person may see individual companies, contacts and their figures."""
        return can_see_companies(self.role)

    @property
    def is_demo(self) -> bool:
        """Whether the programme in use is the embedded demo."""
        return self.programme_name == state.DEMO_PROGRAMME

    @property
    def programme_ref(self) -> ProgrammeRef:
        """The cache key of the programme's data at its current version."""
        return ProgrammeRef(self.programme_name, self.settings.database_url,
                                 self.versions.programme)

    @cached_property
    def programme(self) -> Programme:
        """The programme in use (shared for the demo: copy frames before changing them)."""
        return load_programme(self.programme_ref)

    @cached_property
    def synergy_book(self) -> SynergyBook:
        """The programme's synergies, stage history and outcomes."""
        return load_synergy_book(self.programme_ref, synergy_version=self.versions.synergies)

    def matcher(self, *, roads: bool = True) -> Matcher:
        """Have–want matcher of the programme (road distances where a network exists)."""
        return cached_matcher(self.programme_ref, synergy_version=self.versions.synergies,
                              network=self.network if roads else None)

    @property
    def store(self) -> Store:
        """The programme database."""
        return open_store(self.settings.database_url)

    @cached_property
    def network(self) -> NetworkSource:
        """The road network in use; a failed download shows a warning and counts as none."""
        return usable_source(network_source(self.programme_ref, settings=self.settings))

    @property
    def road_graph(self) -> RoadGraph | None:
        """The road graph of the programme's region, or None (callers label the fallback)."""
        return load_road_graph(self.network)

    @property
    def region_layers(self) -> RegionLayers:
        """OSM land use and roads of the region, where known."""
        return load_region_layers(self.network)


def page_context() -> PageContext:
    """The context of this rerun. Call it first on every page.

    It also sends a page that Streamlit ran outside ``app.py`` back through the frame
    (see :mod:`ui.legacy_pages`).
    """
    leave_legacy_pages_mode()
    return PageContext(programme_name=state.programme_name(), role=state.role(),
                       settings=state.settings(), versions=state.data_versions())
