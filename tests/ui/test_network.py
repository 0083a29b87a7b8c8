"""ui/network.py: which road network a programme uses, and loading what it names."""

from __future__ import annotations

import shutil

from geo.settings import Settings
from ui.data import ProgrammeRef
from ui.network import (
    DEMO_NETWORK,
    NO_NETWORK,
    NetworkSource,
    network_source,
    programme_pbf,
    region_layers,
    road_graph,
)
from ui.state import DEMO_PROGRAMME


def test_the_demo_uses_the_shipped_karhula_roads(settings: Settings) -> None:
    """The demo's network is the pyrosm extract: a graph and land use, whatever the settings."""
    source = network_source(ProgrammeRef(DEMO_PROGRAMME, settings.database_url), settings=settings)
    assert source == DEMO_NETWORK and source.label == "demo"
    graph = road_graph(source)
    assert graph is not None and len(graph.edges) > 100
    layers = region_layers(source)
    assert layers.landuse is not None and layers.roads is not None


def test_a_stored_programme_without_roads_has_none(stored_demo: ProgrammeRef,
                                                   settings: Settings) -> None:
    """Offline and with no uploaded extract, a stored programme measures straight lines."""
    source = network_source(stored_demo, settings=settings)
    assert source == NO_NETWORK and source.label == "none"
    assert road_graph(source) is None
    assert region_layers(source) == (None, None)


def test_an_uploaded_extract_is_the_network_and_its_time_the_key(stored_demo: ProgrammeRef,
                                                                 settings: Settings) -> None:
    """A stored .osm.pbf becomes the network, keyed by its modification time."""
    import pyrosm

    pbf = programme_pbf(stored_demo.name, settings=settings)
    assert pbf.parent == settings.data_dir / "networks" and pbf.name.endswith(".osm.pbf")
    pbf.parent.mkdir(parents=True)
    shutil.copy(pyrosm.get_data("test_pbf"), pbf)
    source = network_source(stored_demo, settings=settings)
    assert (source.kind, source.pbf_path) == ("pbf", str(pbf))
    assert source.label == f"pbf:{pbf.stat().st_mtime}"
    graph = road_graph(source)
    assert graph is not None and len(graph.edges) > 100
    assert region_layers(source).roads is graph.edges


def test_online_downloads_the_located_sites_extent(stored_demo: ProgrammeRef,
                                                   settings: Settings) -> None:
    """With online OSM on, the network is a download of the sites' extent (4 decimals)."""
    online = settings.with_(online_osm=True)
    source = network_source(stored_demo, settings=online)
    assert source.kind == "online" and source.settings == online
    assert source.bbox is not None
    assert all(round(b, 4) == b for b in source.bbox)
    west, south, east, north = source.bbox
    assert 26 < west < east < 28 and 60 < south < north < 61  # Karhula, Kotka


def test_online_with_nothing_located_has_none(settings: Settings) -> None:
    """With no located site there is no extent to download: no network."""
    from geo.importer import import_file
    from ui.data import store

    csv = settings.data_dir / "m.csv"
    csv.write_text("Company,City,Country,Have/Want,EWC code,Quantity,Unit\n"
                   "Nowhere Oy,Qwzxv,FI,have,150101,12,t/yr\n", encoding="utf-8")
    assert import_file(csv, store=store(settings.database_url),
                       programme="Unlocated").imported == 1
    ref = ProgrammeRef("Unlocated", settings.database_url)
    assert network_source(ref, settings=settings.with_(online_osm=True)) == NO_NETWORK


def test_an_online_source_without_extent_loads_nothing() -> None:
    """An online source with no bounding box downloads nothing rather than guessing."""
    assert road_graph(NetworkSource("online")) is None
