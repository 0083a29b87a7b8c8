"""Tests of geo.network.load: the embedded demo, PBF files and the osmnx download."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.errors import NetworkError, OfflineError
from geo.network import RoadGraph, graph_from_bbox, graph_from_pbf
from geo.network.load import pbf_landuse
from geo.settings import Settings


def test_demo_graph_is_karhula_in_utm_35n(demo_graph: RoadGraph) -> None:
    """The embedded extract is Karhula (Kotka), measured in UTM zone 35N, with its source."""
    lon0, lat0, lon1, lat1 = demo_graph.bounds()
    assert 26.8 < lon0 < lon1 < 27.1 and 60.4 < lat0 < lat1 < 60.6
    assert demo_graph.crs_metric == "EPSG:32635"
    assert "Karhula" in demo_graph.source


def test_missing_pbf_file_is_explained(tmp_path: Path) -> None:
    """A path that does not exist gets a message naming it."""
    with pytest.raises(NetworkError, match="does not exist"):
        graph_from_pbf(tmp_path / "nope.osm.pbf")


def test_land_use_comes_from_the_one_pbf_reader(tmp_path: Path) -> None:
    """Land use of a PBF file is read (the demo's industrial areas); a file that is not PBF
    gets the same explained NetworkError as the road graph, not pyrosm's bare error."""
    import pyrosm

    landuse = pbf_landuse(pyrosm.get_data("test_pbf"))
    assert landuse is not None and list(landuse.columns) == ["landuse", "geometry"]
    assert "industrial" in set(landuse["landuse"])
    bad = tmp_path / "broken.osm.pbf"
    bad.write_bytes(b"\x00\x00\x00\x0d\n\tOSMHeader" + b"\xff" * 64)
    for read in (pbf_landuse, graph_from_pbf):
        with pytest.raises(NetworkError, match=r"Could not read 'broken\.osm\.pbf'"):
            read(bad)


def test_download_refused_when_offline(tmp_path: Path) -> None:
    """With online OSM off, a download is refused with the offline alternative."""
    with pytest.raises(OfflineError, match=r"\.osm\.pbf"):
        graph_from_bbox((26.9, 60.5, 27.0, 60.6), settings=Settings(data_dir=tmp_path))


def test_liechtenstein_extract_loads(bench_dir: Path) -> None:
    """The regional Liechtenstein extract gives a connected core of over 1,000 nodes."""
    g = graph_from_pbf(bench_dir / "osm" / "liechtenstein-2013-08-03.osm.pbf")
    assert len(g.core_nodes) > 1000


def test_load_errors_in_the_pseudo_locale(tmp_path: Path) -> None:
    """The missing-file and offline messages are translated with the path filled in."""
    from geo.i18n import use_locale

    with use_locale("qps_PLOC"), pytest.raises(NetworkError) as err:
        graph_from_pbf(tmp_path / "nope.osm.pbf")
    assert str(err.value).startswith("⟦") and "nope.osm.pbf" in str(err.value)
    with use_locale("qps_PLOC"), pytest.raises(OfflineError, match=r"^⟦Dõwñlõàdîñg"):
        graph_from_bbox((26.9, 60.5, 27.0, 60.6), settings=Settings(online_osm=False))
