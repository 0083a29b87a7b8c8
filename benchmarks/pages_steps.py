"""The pages the page benchmark opens and the typical changes it makes on each.

A :class:`Step` is one change a user makes — a widget set to a value (``value`` for
``AppTest``, ``text`` for the browser: the option's label typed, the button's name clicked or
the keys pressed on a slider) or a page opened — with ``before`` (changes inside a form, made
first) and ``setup`` (done and waited for before the clock starts, such as opening an
expander or going to another page first). :func:`steps_for` gives each page's changes for a
programme and role: at least three, each one new to the session, so that the page computes
what a user's change makes it compute.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from geo.programme import Programme

DEMO: Final = "__demo__"
"""``ui.state.DEMO_PROGRAMME``: the embedded demo's programme name in the app."""

__all__ = ["DEMO", "PAGES", "Dataset", "PageSpec", "Step", "draws_map", "steps_for"]


@dataclass(frozen=True)
class Step:
    """One change: ``kind`` is an AppTest element method (``radio``, ``selectbox`` …),
    ``submit`` (a form's button) or ``nav`` (open the page at path ``key``)."""

    kind: str
    key: str
    value: Any = None
    text: str = ""
    label: str = ""
    before: tuple[Step, ...] = ()
    setup: tuple[Step, ...] = ()


@dataclass
class Dataset:
    """A programme the benchmark runs on: its data directory and programme name."""

    label: str
    data_dir: Path
    programme: str
    prog: Programme | None = None

    @property
    def is_demo(self) -> bool:
        """Whether this is the embedded demo."""
        return self.programme == DEMO

    @cached_property
    def data(self) -> Programme:
        """The programme itself (the demo loaded from the package)."""
        if self.prog is None:
            from geo.demo import load_demo_programme

            self.prog = load_demo_programme()
        return self.prog


StepsOf = Callable[["PageSpec", Dataset, str], list[Step]]


@dataclass(frozen=True)
class PageSpec:
    """A page: its file, menu title, who opens it, on which programmes, its changes."""

    path: str
    title: str
    steps: StepsOf
    roles: tuple[str, ...] = ("practitioner",)
    datasets: tuple[str, ...] = ("demo", "regional")
    has_map: bool = True
    bounded: bool = False
    note: str = ""


def _reopen(spec: PageSpec, ds: Dataset, role: str) -> list[Step]:
    """A page without widgets: opened again from "Data & licences" (three times)."""
    away = Step("nav", "pages/about.py", text="Data & licences")
    return [Step("nav", spec.path, text=spec.title, label=f"open {spec.title}", setup=(away,))
            for _ in range(3)]


def _site(spec: PageSpec, ds: Dataset, role: str) -> list[Step]:
    sites = ds.data.sites.sort_values("name")
    located = sites[sites.geometry.notna()]
    return [Step("selectbox", "site_pick", sid, f"({sid})", f"site {sid}")
            for sid in located["site_id"].iloc[1:4]]


def _browse(spec: PageSpec, ds: Dataset, role: str) -> list[Step]:
    steps = [Step("segmented_control", "br_direction", d, d, f"direction {d}")
             for d in ("have", "want")]
    if role == "practitioner":
        return [*steps, Step("segmented_control", "br_hazardous", "hazardous", "hazardous",
                             "hazardous only")]
    return [*steps, Step("multiselect", "br_selectors", ["plastics"], "Group · Plastics",
                         "plastics")]


def _import(spec: PageSpec, ds: Dataset, role: str) -> list[Step]:
    return [Step("selectbox", "imp_provenance", v, v, f"provenance {v}")
            for v in ("survey", "site visit", "workshop")]


def _locate(spec: PageSpec, ds: Dataset, role: str) -> list[Step]:
    from geo.programme import PRECISIONS

    return [Step("select_slider", "gc_worst", PRECISIONS[-2 - i], "ArrowLeft:1",
                 f"no better than {PRECISIONS[-2 - i]}") for i in range(3)]


def _concentrations(spec: PageSpec, ds: Dataset, role: str) -> list[Step]:
    from geo.catalogue import load_catalogue

    if role == "practitioner":
        from geo.concentrations.selection import stream_choices

        labels = stream_choices(load_catalogue())
        present = ds.data.resources["ewc_code"].dropna().astype(str).str[:2].value_counts()
        picks = [c for c in present.index if c in labels][:3]
        key = "conc_streams"
    else:
        from geo.concentrations import viewer as cv
        from geo.disclosure import build_release

        release = build_release(ds.data, catalogue=load_catalogue())
        labels = release.stream_labels()
        picks = [s for s in labels if cv.empty_message(release, cv.release_query(
            release, direction="have", streams=[s], parks=[], grant=())) is None][:3]
        key = "conc_release_streams"
    return [Step("multiselect", key, picks[: i + 1], labels[p], f"+ stream {p}")
            for i, p in enumerate(picks)]


def _site_finder(spec: PageSpec, ds: Dataset, role: str) -> list[Step]:
    from geo.siting import ScoreWeights

    base = ScoreWeights().feedstock
    expander = Step("click_text", "", text="Weights of the score")
    return [Step("slider", "sf_w_feedstock", round(base + 0.05 * (i + 1), 2), "ArrowRight:1",
                 f"feedstock weight {base + 0.05 * (i + 1):.2f}", setup=(expander,) if i == 0
                 else ()) for i in range(3)]


def _milk_round(spec: PageSpec, ds: Dataset, role: str) -> list[Step]:
    """Plan rounds with 3, 4, then 5 vehicles; pickups over a vehicle's 15 t left out (the
    page's advice when a producer's pickup does not fit)."""
    return [Step("submit", "mr_submit", None, "Plan rounds", f"plan with {n} vehicles",
                 before=(Step("number_input", "mr_max", 15.0, "15"),
                         Step("number_input", "mr_vehicles", n, str(n)))) for n in (3, 4, 5)]


def _synergies(spec: PageSpec, ds: Dataset, role: str) -> list[Step]:
    res = ds.data.resources
    haves = res[(res["direction"] == "have") & res["ewc_code"].notna()]
    from ui.widgets import MAX_PICK_OPTIONS

    picks = haves["resource_id"].sort_values().iloc[[3, len(haves) // 2, len(haves) - 4]]
    if len(res) <= MAX_PICK_OPTIONS:
        return [Step("selectbox", "syn_record", rid, f"{rid} · ", f"record {rid}")
                for rid in picks]
    # Above the picker's limit the user first types the record's id (not timed), then picks it.
    return [Step("selectbox", "syn_record", rid, f"{rid} · ", f"record {rid}",
                 setup=(Step("text_input", "syn_find", str(rid), str(rid), f"find {rid}"),))
            for rid in picks]


def _workshop(spec: PageSpec, ds: Dataset, role: str) -> list[Step]:
    ids = ds.data.sites.sort_values("site_id")["site_id"].iloc[:3].tolist()
    return [Step("multiselect", "ws_sites", ids[: i + 1], f"{sid} · ", f"+ member {sid}")
            for i, sid in enumerate(ids)]


def _reports(spec: PageSpec, ds: Dataset, role: str) -> list[Step]:
    from geo.synergies.lifecycle import STAGES

    return [Step("radio", "rep_view", "Network map", "Network map", "view network map"),
            Step("multiselect_pop", "rep_net_stages", list(STAGES[:-1]), "",
                 f"without {STAGES[-1]}"),
            Step("multiselect_pop", "rep_net_stages", list(STAGES[:-2]), "",
                 f"without {STAGES[-2]}")]


BOTH: Final = ("practitioner", "viewer")
PAGES: Final[tuple[PageSpec, ...]] = (
    PageSpec("pages/home.py", "Overview", _reopen, roles=BOTH),
    PageSpec("pages/site.py", "Site", _site),
    PageSpec("pages/browse.py", "Browse & export", _browse, roles=BOTH,
             note="viewers: no map (release tables)"),
    PageSpec("pages/import_data.py", "Import", _import, has_map=False),
    PageSpec("pages/geocode.py", "Locate records", _locate),
    PageSpec("pages/concentrations.py", "Concentrations", _concentrations, roles=BOTH,
             datasets=("demo", "regional-conc")),
    PageSpec("pages/site_finder.py", "Site finder", _site_finder, roles=BOTH, bounded=True,
             note="every rerun recomputes the best sites (p-median, time limit 10 s)"),
    PageSpec("pages/milk_round.py", "Milk round", _milk_round, bounded=True,
             note="Plan rounds: routing solve, the user's time limit (default 5 s)"),
    PageSpec("pages/synergies.py", "Synergies", _synergies),
    PageSpec("pages/workshop.py", "Workshop", _workshop, has_map=False),
    PageSpec("pages/reports.py", "Reports", _reports, roles=BOTH),
    PageSpec("pages/about.py", "Data & licences", _reopen, roles=BOTH, has_map=False),
)
"""Every page but Users (administrators only: nobody opens it in desktop mode)."""


def steps_for(spec: PageSpec, ds: Dataset, role: str) -> list[Step]:
    """The changes the benchmark makes on ``spec``'s page for this programme and role."""
    return spec.steps(spec, ds, role)


def draws_map(spec: PageSpec, role: str) -> bool:
    """Whether the page draws a map for this role (viewers browse tables only)."""
    return spec.has_map and not (role == "viewer" and spec.title == "Browse & export")
