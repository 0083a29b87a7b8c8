"""The per-rerun context of a page: who is looking, at which programme, with which settings.

Every page starts with ``ctx = ui.page_context("<page>")`` and then reads ``ctx.programme``,
``ctx.role``, ``ctx.k`` … instead of calling half a dozen helpers. Building the context signs
the person in (:mod:`ui.access`: their roles are read from the database on every rerun) and
refuses the page unless their role in the programme may open it. What it loads (the
programme, the road network) is cached by :mod:`ui.data` and :mod:`ui.network` under explicit
keys. A park authority's programme holds only the parks of their grant.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import streamlit as st

from geo.access import Principal, audience_of, can_replace_network, can_write, sees_companies
from geo.confidentiality import can_see_companies
from geo.errors import AccessError, StoreError
from geo.i18n import _
from geo.lazy import cached_property
from ui import state
from ui.access import grant_name, require_page
from ui.access import principal as signed_in
from ui.data import ProgrammeRef, data_versions
from ui.data import programme as load_programme
from ui.data import store as open_store
from ui.data import synergy_book as load_synergy_book
from ui.language import choose_language
from ui.legacy_pages import leave_legacy_pages_mode
from ui.network import NetworkSource, RegionLayers, network_source, usable_source
from ui.network import region_layers as load_region_layers
from ui.network import road_graph as load_road_graph
from ui.runs import matcher as cached_matcher
from ui.runs import release as cached_release
from ui.runs import synergy_release as cached_synergy_release
from ui.widgets import plain

if TYPE_CHECKING:
    from geo.access import Page
    from geo.access import Role as UserRole
    from geo.disclosure import DisclosureRules, ProgrammeRelease
    from geo.network import RoadGraph
    from geo.programme import Programme
    from geo.settings import Role, Settings
    from geo.store import Store
    from geo.synergies.book import SynergyBook
    from geo.synergies.matching import Matcher
    from geo.synergies.protected import SynergyRelease


@dataclass(frozen=True)
class PageContext:
    """What a page needs on this rerun (build it with :func:`page_context`).

    Attributes
    ----------
    programme_name : str
        :data:`~ui.state.DEMO_PROGRAMME` or a stored programme's name.
    role : str
        The audience of every figure: ``practitioner`` (sees companies) or ``viewer``
        (only what passes the disclosure rules). A practitioner previewing the viewers' view
        is a ``viewer``.
    settings : Settings
        The settings in force.
    versions : DataVersions
        The data versions in use (see :func:`ui.state.data_versions`).
    principal : Principal
        Who is signed in (desktop mode: the one local practitioner).
    user_role : str or None
        Their role in this programme (``administrator`` … ``logistics_planner``).
    parks : tuple of str
        The parks a park authority is limited to (empty: the whole programme).
    locale : str
        This session's language (``en_GB``, ``zh_CN``, ``pt_BR``), already set for ``geo``;
        part of the cache key of anything cached that holds translated text.
    """

    programme_name: str
    role: Role
    settings: Settings
    versions: state.DataVersions
    principal: Principal = field(default_factory=Principal.local)
    user_role: UserRole | None = "practitioner"
    parks: tuple[str, ...] = ()
    locale: str = "en_GB"

    @property
    def who(self) -> str:
        """The signed-in person's name for the audit trail."""
        return self.principal.display_name

    @property
    def can_write(self) -> bool:
        """Whether this person may change the programme's data (and is not previewing)."""
        return self.user_role is not None and can_write(self.user_role) and self.practitioner

    def require_write(self, action: str) -> None:
        """Raise :class:`AccessError` unless this person may change the programme's data.

        Call inside :func:`ui.domain_errors` before any write; ``action`` completes
        "may not …" and is already translated (``ctx.require_write(_("save records"))``).
        """
        if not self.can_write:
            # Translators: {action} is what the person tried, a verb phrase translated on its
            # own, e.g. "save records", "create synergies".
            msg = _("Your role may not {action}. Practitioners and administrators of the "
                    "programme can.").format(action=action)
            raise AccessError(msg)

    @property
    def can_replace_network(self) -> bool:
        """Whether this person may replace the programme's road network."""
        return self.user_role is not None and can_replace_network(self.user_role) \
            and self.practitioner

    @cached_property
    def rules(self) -> DisclosureRules:
        """The disclosure rules of this programme (its own, else the installation's)."""
        from geo.disclosure.settings import default_rules, rules_in_force

        reads = state.run_reads()
        if reads is not None and self.programme_name in reads.rules:
            return reads.rules[self.programme_name]
        try:
            rules = rules_in_force(self.store, grant_name(self.programme_name), self.settings)
        except StoreError as exc:  # the database is down: the package's demo runs on the defaults
            state.note_down(exc)
            if not self.demo_unsaved:  # a stored copy may have rules of its own
                raise
            return default_rules(self.settings)
        if reads is not None:
            reads.rules[self.programme_name] = rules
        return rules

    @property
    def k(self) -> int:
        """The minimum producers behind any figure a viewer sees (the programme's rules)."""
        return self.rules.k

    @cached_property
    def synergy_release(self) -> SynergyRelease:
        """What viewers may see of this programme's synergies, built once per version."""
        return cached_synergy_release(
            ProgrammeRef(self.programme_name, self.settings.database_url,
                         self.versions.programme),
            synergy_version=self.versions.synergies, rules=self.rules)

    @cached_property
    def release(self) -> ProgrammeRelease:
        """Everything a viewer may see of this programme's tonnages, built once per version."""
        return cached_release(ProgrammeRef(self.programme_name, self.settings.database_url,
                                           self.versions.programme), self.rules)

    @property
    def practitioner(self) -> bool:
        """Whether this person may see individual companies, contacts and their figures."""
        return can_see_companies(self.role)

    @property
    def is_demo(self) -> bool:
        """Whether the programme in use is the embedded demo."""
        return self.programme_name == state.DEMO_PROGRAMME

    @property
    def demo_unsaved(self) -> bool:
        """Whether this is the embedded demo read from the package, not yet stored (a write
        that stores it — saved records, a synergy, *Save the demo* — lets the pages that edit
        the database work on it)."""
        return self.is_demo and self.versions.programme == 0

    @property
    def programme_ref(self) -> ProgrammeRef:
        """The cache key of the programme's data at its current version."""
        return ProgrammeRef(self.programme_name, self.settings.database_url,
                                 self.versions.programme)

    @cached_property
    def programme(self) -> Programme:
        """The programme in use, limited to the parks of a park authority's grant.

        Shared for the demo: copy frames before changing them.
        """
        return load_programme(self.programme_ref).restricted_to_parks(self.parks)

    @cached_property
    def whole_programme(self) -> Programme:
        """The whole programme, whatever this person's park limit (for computing releases and
        the positions of parks; never show its records to a park authority)."""
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


def page_context(page: Page | None = None) -> PageContext:
    """The context of this rerun. Call it first on every page, naming the page.

    It sends a page that Streamlit ran outside ``app.py`` back through the frame (see
    :mod:`ui.legacy_pages`), signs the person in, picks a programme they hold a role in, and
    refuses ``page`` (showing only the refusal) unless their role may open it. ``app.py``
    calls it without a page.
    """
    leave_legacy_pages_mode()
    settings = state.settings()
    choose_language()  # the sign-in pages speak the URL's or the browser's language
    who = signed_in(settings)
    locale = choose_language(who)
    name = state.programme_name()
    user_role = who.role_in(grant_name(name))
    previewing = False
    if user_role is not None and sees_companies(user_role):
        role: Role = state.preview_role()
        previewing = role == "viewer"
    else:
        role = "viewer" if user_role is None else audience_of(user_role)
    if page is not None:
        require_page(page, user_role, previewing=previewing)
    reads = state.run_reads()
    try:
        if reads is not None and name in reads.versions:
            versions = reads.versions[name]
        else:
            versions = data_versions(name, settings.database_url)
            if reads is not None:
                reads.versions[name] = versions
    except StoreError as exc:
        state.note_down(exc)
        if name != state.DEMO_PROGRAMME:
            st.error(plain(str(exc)), icon=":material/cloud_off:")
            st.stop()
        versions = state.DataVersions()  # the embedded demo works without the database
    return PageContext(programme_name=name, role=role, settings=settings, versions=versions,
                       principal=who, user_role=user_role, parks=who.parks_in(grant_name(name)),
                       locale=locale)
