"""Technology profiles: what a reprocessing plant accepts, needs and may be sited next to.

A :class:`TechnologyProfile` is the site finder's input: accepted streams (catalogue selectors
with a conversion factor each), viable throughput, haul limit, transport cost and CO2e per
tonne-km, gate fee, land and siting rules. The shipped profiles, with their sources, are in
``data/technologies/profiles.json``; :func:`load_profiles` reads them (or a file of the same
shape), resolving transport cost and CO2e from :mod:`geo.factors` where the file says ``null``.

Every profile is validated when it is built: no accepted stream, a minimum throughput above
the maximum, negative costs or distances are refused with the rule that was broken.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from geo.errors import SitingError
from geo.i18n import _
from geo.settings import DATA_DIR

if TYPE_CHECKING:
    from geo.catalogue import Catalogue
    from geo.factors import Factors

__all__ = [
    "PROFILES_PATH",
    "AcceptedStream",
    "OutputMarket",
    "SitingRules",
    "TechnologyProfile",
    "load_profiles",
    "profile_from_dict",
]

logger = logging.getLogger(__name__)

PROFILES_PATH: Final = DATA_DIR / "technologies" / "profiles.json"
COST_FACTOR: Final = "transport_cost_per_tkm"
CO2E_FACTOR: Final = "hgv_co2e_kg_per_tkm"
MAIN_ROADS: Final = ("motorway", "motorway_link", "trunk", "trunk_link", "primary",
                     "primary_link", "secondary", "secondary_link")


def _refuse(profile: str, sentence: str, got: object, **more: object) -> SitingError:
    """A refusal from a whole translated ``sentence`` with ``{profile}`` and ``{got}``."""
    return SitingError(sentence.format(profile=repr(profile), got=repr(got), **more))


@dataclass(frozen=True)
class AcceptedStream:
    """One input stream: a catalogue selector and what a tonne of it yields.

    Attributes
    ----------
    selector : str
        Entry code (``"020202"``), subchapter (``"0203"``), chapter (``"02"``) or stream-group
        slug (``"organics"``) of the catalogue.
    label : str
        Name shown in tables.
    conversion : float
        Output units (the profile's ``output_unit``) per tonne of this stream, ≥ 0.
    """

    selector: str
    label: str
    conversion: float = 1.0


@dataclass(frozen=True)
class SitingRules:
    """Where a plant may go.

    Attributes
    ----------
    inside_industrial : bool
        The site must lie on industrial land (OSM ``landuse=industrial``) or in a park.
    min_residential_distance_m : float
        At least this far from residential land (metres; 0 = no rule).
    max_main_road_distance_m : float or None
        At most this far from a main road (metres; None = no rule).
    main_road_classes : tuple of str
        OSM ``highway`` values that count as main roads.
    """

    inside_industrial: bool = True
    min_residential_distance_m: float = 0.0
    max_main_road_distance_m: float | None = None
    main_road_classes: tuple[str, ...] = MAIN_ROADS


@dataclass(frozen=True)
class OutputMarket:
    """Who wants the plant's output: wants with these codes or classes, sites in these sectors."""

    resource_classes: tuple[str, ...] = ()
    selectors: tuple[str, ...] = ()
    nace: tuple[str, ...] = ()


@dataclass(frozen=True)
class TechnologyProfile:
    """A reprocessing technology as the site finder sees it (validated on construction).

    Attributes
    ----------
    id, name, description : str
    streams : tuple of AcceptedStream
        At least one accepted stream.
    output, output_unit : str
        What the plant makes and its unit (``"MWh/yr"``, ``"t/yr"``).
    min_throughput_t, max_throughput_t : float
        Viable feedstock range (t/yr), ``0 ≤ min ≤ max``, ``max > 0``.
    max_haul_km : float
        Furthest road haul for feedstock (km, > 0).
    max_haul_min : float or None
        Optional limit on the haul's driving time (minutes).
    transport_cost_per_tkm : float
        EUR per tonne-km (≥ 0).
    co2e_kg_per_tkm : float
        kg CO2e per tonne-km (≥ 0).
    gate_fee_eur_per_t : float
        EUR the plant is paid per tonne received (negative: it pays for feedstock).
    land_ha : float
        Land the plant needs (hectares, ≥ 0).
    rules : SitingRules
    output_wanted_by : OutputMarket
    competitor_nace : tuple of str
        NACE codes of member sites that already run this kind of plant.
    sources : tuple of str
        Citations of the figures.
    cost_source, co2e_source : str
        Where the transport cost and CO2e factors came from.
    """

    id: str
    name: str
    streams: tuple[AcceptedStream, ...]
    min_throughput_t: float
    max_throughput_t: float
    max_haul_km: float
    transport_cost_per_tkm: float
    co2e_kg_per_tkm: float
    description: str = ""
    output: str = "output"
    output_unit: str = "t/yr"
    max_haul_min: float | None = None
    gate_fee_eur_per_t: float = 0.0
    land_ha: float = 0.0
    rules: SitingRules = field(default_factory=SitingRules)
    output_wanted_by: OutputMarket = field(default_factory=OutputMarket)
    competitor_nace: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    cost_source: str = ""
    co2e_source: str = ""

    def __post_init__(self) -> None:
        pid = self.id or self.name
        if not self.streams:
            raise _refuse(pid, _("Technology profile {profile}: a profile needs at least one "
                                 "accepted stream, got {got}; add a catalogue code, chapter or "
                                 "stream group it can take."), [])
        for s in self.streams:
            if not str(s.selector).strip():
                raise _refuse(pid, _("Technology profile {profile}: every accepted stream needs "
                                     "a catalogue selector, got {got}; give a code such as "
                                     "'020202' or a group slug."), s.selector)
            if not s.conversion >= 0:
                raise _refuse(pid, _("Technology profile {profile}: the conversion of stream "
                                     "{stream} must be ≥ 0, got {got}; give output units per "
                                     "tonne of input."), s.conversion, stream=repr(s.label))
        if not self.min_throughput_t >= 0:
            raise _refuse(pid, _("Technology profile {profile}: the minimum throughput must be "
                                 "≥ 0 t/yr, got {got}; give 0 for no minimum."),
                          self.min_throughput_t)
        if not self.max_throughput_t > 0:
            raise _refuse(pid, _("Technology profile {profile}: the maximum throughput must be "
                                 "> 0 t/yr, got {got}; give the plant's capacity."),
                          self.max_throughput_t)
        if self.min_throughput_t > self.max_throughput_t:
            raise _refuse(pid, _("Technology profile {profile}: the minimum throughput cannot "
                                 "exceed the maximum, got {got}; lower the minimum or raise the "
                                 "maximum (t/yr)."),
                          (self.min_throughput_t, self.max_throughput_t))
        if not self.max_haul_km > 0:
            raise _refuse(pid, _("Technology profile {profile}: the maximum haul must be > 0 km, "
                                 "got {got}; give the furthest distance feedstock may travel by "
                                 "road."), self.max_haul_km)
        if self.max_haul_min is not None and not self.max_haul_min > 0:
            raise _refuse(pid, _("Technology profile {profile}: the maximum haul time must be "
                                 "> 0 minutes, got {got}; give a positive number of minutes, or "
                                 "none."), self.max_haul_min)
        for name in ("transport_cost_per_tkm", "co2e_kg_per_tkm", "land_ha"):
            value = getattr(self, name)
            if not value >= 0:
                # Translators: {field} is the profile field's name as in profiles.json.
                raise _refuse(pid, _("Technology profile {profile}: {field} cannot be negative, "
                                     "got {got}; costs, emissions and land are amounts ≥ 0."),
                              value, field=name)
        r = self.rules
        if not r.min_residential_distance_m >= 0:
            raise _refuse(pid, _("Technology profile {profile}: the residential distance must "
                                 "be ≥ 0 m, got {got}; give 0 for no rule."),
                          r.min_residential_distance_m)
        if r.max_main_road_distance_m is not None and not r.max_main_road_distance_m > 0:
            raise _refuse(pid, _("Technology profile {profile}: the main-road distance must be "
                                 "> 0 m, got {got}; give none for no rule."),
                          r.max_main_road_distance_m)

    @property
    def max_haul_m(self) -> float:
        """The haul limit in metres."""
        return self.max_haul_km * 1000.0

    @property
    def max_haul_s(self) -> float | None:
        """The haul time limit in seconds (None if not set)."""
        return None if self.max_haul_min is None else self.max_haul_min * 60.0

    def with_changes(self, **changes: Any) -> TechnologyProfile:
        """A validated copy with some fields changed (``rules`` may be given as a dict)."""
        if isinstance(changes.get("rules"), dict):
            changes["rules"] = replace(self.rules, **changes["rules"])
        return replace(self, **changes)

    def codes(self, catalogue: Catalogue) -> dict[str, str]:
        """Entry code → stream label for every accepted code (the first stream wins)."""
        out: dict[str, str] = {}
        for s in self.streams:
            for code in sorted(catalogue.codes_matching([s.selector])):
                out.setdefault(code, s.label)
        return out

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict in the shape of ``profiles.json``."""
        d = asdict(self)
        d["rules"]["main_road_classes"] = list(self.rules.main_road_classes)
        return d


def _tuple(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, Iterable):
        return tuple(str(v) for v in value)
    return (str(value),)


def profile_from_dict(raw: dict[str, Any], *, factors: Factors | None = None) -> TechnologyProfile:
    """Build a profile from a dict in the shape of ``profiles.json``.

    ``transport_cost_per_tkm`` and ``co2e_kg_per_tkm`` of ``None`` take the factors
    ``transport_cost_per_tkm`` and ``hgv_co2e_kg_per_tkm`` of :mod:`geo.factors`.
    """
    from geo.factors import load_factors

    pid = str(raw.get("id") or raw.get("name") or "?")
    try:
        streams = tuple(AcceptedStream(selector=str(s["selector"]).strip(),
                                       label=str(s.get("label") or s["selector"]),
                                       conversion=float(s.get("conversion", 1.0)))
                        for s in raw.get("streams") or [])
        rules_raw = dict(raw.get("rules") or {})
        if "main_road_classes" in rules_raw:
            rules_raw["main_road_classes"] = _tuple(rules_raw["main_road_classes"])
        rules = SitingRules(**rules_raw)
        market_raw = raw.get("output_wanted_by") or {}
        market = OutputMarket(resource_classes=_tuple(market_raw.get("resource_classes")),
                              selectors=_tuple(market_raw.get("selectors")),
                              nace=_tuple(market_raw.get("nace")))
    except (KeyError, TypeError, ValueError) as exc:
        msg = _("Technology profile {profile} is not in the expected shape ({problem}); see "
                "{file} for an example.").format(profile=repr(pid), problem=exc,
                                                 file=PROFILES_PATH.name)
        raise SitingError(msg) from exc
    factors = factors or load_factors()
    cost, cost_source = raw.get("transport_cost_per_tkm"), "profile"
    if cost is None:
        f = factors.get(COST_FACTOR)
        cost, cost_source = f.value, f.cite()
    co2e, co2e_source = raw.get("co2e_kg_per_tkm"), "profile"
    if co2e is None:
        f = factors.get(CO2E_FACTOR)
        co2e, co2e_source = f.value, f.cite()
    known = {"id", "name", "description", "output", "output_unit", "min_throughput_t",
             "max_throughput_t", "max_haul_km", "max_haul_min", "gate_fee_eur_per_t",
             "land_ha"}
    scalars = {k: raw[k] for k in known if k in raw and raw[k] is not None}
    for k in ("min_throughput_t", "max_throughput_t", "max_haul_km", "max_haul_min",
              "gate_fee_eur_per_t", "land_ha"):
        if k in scalars:
            try:
                scalars[k] = float(scalars[k])
            except (TypeError, ValueError) as exc:
                msg = _("Technology profile {profile}: {field} must be a number, got "
                        "{got}.").format(profile=repr(pid), field=k, got=repr(scalars[k]))
                raise SitingError(msg) from exc
    missing = [k for k in ("id", "name", "min_throughput_t", "max_throughput_t", "max_haul_km")
               if k not in scalars]
    if missing:
        msg = _("Technology profile {profile} lacks {fields}; every profile needs "
                "them.").format(profile=repr(pid), fields=", ".join(missing))
        raise SitingError(msg)
    return TechnologyProfile(
        streams=streams, rules=rules, output_wanted_by=market,
        competitor_nace=_tuple(raw.get("competitor_nace")), sources=_tuple(raw.get("sources")),
        transport_cost_per_tkm=float(cost), co2e_kg_per_tkm=float(co2e),
        cost_source=str(raw.get("cost_source") or cost_source),
        co2e_source=str(raw.get("co2e_source") or co2e_source), **scalars)


def load_profiles(path: str | Path | None = None, *,
                  factors: Factors | None = None) -> dict[str, TechnologyProfile]:
    """The technology profiles of a JSON file, by id (default: the shipped profiles).

    Examples
    --------
    >>> profiles = load_profiles()
    >>> sorted(profiles)[:2]
    ['anaerobic_digestion', 'plasterboard_recycling']
    >>> profiles["anaerobic_digestion"].max_haul_km
    50.0
    """
    p = Path(path) if path is not None else PROFILES_PATH
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        msg = _("Could not read technology profiles from {path} ({problem}); expected a JSON "
                "file shaped like {file}.").format(path=repr(str(p)), problem=exc,
                                                   file=PROFILES_PATH.name)
        raise SitingError(msg) from exc
    items = data.get("profiles") if isinstance(data, dict) else None
    if not isinstance(items, list) or not items:
        msg = _("{file} has no 'profiles' list; expected the shape of {example}.").format(
            file=repr(p.name), example=PROFILES_PATH.name)
        raise SitingError(msg)
    out: dict[str, TechnologyProfile] = {}
    for raw in items:
        prof = profile_from_dict(raw, factors=factors)
        if prof.id in out:
            msg = _("{file} defines profile {profile} twice; ids must be unique.").format(
                file=repr(p.name), profile=repr(prof.id))
            raise SitingError(msg)
        out[prof.id] = prof
    return out
