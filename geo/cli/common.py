"""What the ``python -m geo`` jobs share: the programme and its roads, lists, tables, errors.

- :func:`load_programme` — the embedded demo, or a programme stored in the database by name;
- :func:`road_graph` — the road network for it: ``--pbf``, the demo's own, or an osmnx download;
- :func:`synergy_book` — the programme's stored synergies (an empty book when there are none);
- :func:`add_programme_options` — ``--programme``, ``--pbf`` and ``--json`` of the synergy jobs;
- :func:`split_list` — ``"a, b,,c"`` options as a tuple of items;
- :func:`print_table` — a frame printed whole (no wrapping, no elided columns);
- :func:`fail` — ``error: …`` on stderr and the exit code.

The ``geo`` packages a helper needs are imported inside it: ``import`` and ``geocode`` share
this module with the road-network and database jobs, and must not load those stacks.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from geo.errors import SymbiosisError
from geo.i18n import _
from geo.settings import get_settings

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable

    import pandas as pd

    from geo.network import RoadGraph
    from geo.programme import Programme
    from geo.synergies.book import SynergyBook

__all__ = [
    "add_programme_options",
    "fail",
    "load_programme",
    "print_table",
    "road_graph",
    "split_list",
    "synergy_book",
]


def load_programme(name: str | None) -> Programme:
    """The programme a job runs on: the embedded Karhula demo when ``name`` is empty or None,
    else the programme of that name in the database (``SYMBIOMAP_DATABASE_URL``).

    Raises
    ------
    SymbiosisError
        When the database holds no programme of that name (the message lists them).
    """
    if not name:
        from geo.demo import load_demo_programme

        return load_demo_programme()
    from geo.store import open_store

    prog: Programme = open_store().load_programme(name)
    return prog


def road_graph(programme: Programme, *, pbf: str | None, demo: bool,
               download: bool) -> RoadGraph | None:
    """The road network a job measures on, or None for the labelled straight-line stand-in.

    Parameters
    ----------
    programme
        The programme (its sites bound an osmnx download).
    pbf
        A ``.osm.pbf`` file of the region (``--pbf``); used whenever given.
    demo
        The programme is the embedded demo: its own road extract is used.
    download
        Otherwise, download the roads around the sites with osmnx when
        ``SYMBIOMAP_ONLINE_OSM=1`` (cached on disk; see :mod:`geo.settings`).
    """
    from geo.network import demo_graph, graph_from_bbox, graph_from_pbf

    if pbf:
        return graph_from_pbf(pbf)
    if demo:
        return demo_graph()
    if download:
        settings = get_settings()
        if settings.online_osm and len(programme.sites):
            return graph_from_bbox(programme.sites.total_bounds, settings=settings)
    return None


def synergy_book(programme_name: str) -> SynergyBook:
    """The programme's synergies from the database; for the embedded demo before it is
    stored, its illustrative synergies; otherwise an empty book."""
    from geo.store import open_store
    from geo.synergies.repository import load_book

    try:
        store = open_store()
        if programme_name not in store.programme_names():
            return _demo_book(programme_name)
        return load_book(store, programme_name)
    except SymbiosisError:
        return _demo_book(programme_name)


def _demo_book(programme_name: str) -> SynergyBook:
    """The embedded demo's illustrative synergies; an empty book for any other name."""
    from geo.demo import DEMO_NAME, load_demo_programme
    from geo.synergies.book import empty_book
    from geo.synergies.demo import demo_synergy_book

    if programme_name != DEMO_NAME:
        return empty_book()
    return demo_synergy_book(load_demo_programme())


def add_programme_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--programme NAME``, ``--pbf FILE`` and ``--json`` (the synergy jobs' options)."""
    parser.add_argument("--programme", help="name of a stored programme (default: the demo)")
    parser.add_argument("--pbf", help="road network of the region (.osm.pbf)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")


def split_list(*texts: str) -> tuple[str, ...]:
    """The items of comma-separated options, trimmed, empty items dropped, in order.

    Examples
    --------
    >>> split_list("mon, wed,,fri")
    ('mon', 'wed', 'fri')
    >>> split_list("plastics", "02,0203")
    ('plastics', '02', '0203')
    """
    return tuple(item.strip() for text in texts for item in text.split(",") if item.strip())


def print_table(frame: pd.DataFrame, *,
                float_format: Callable[[float], str] | None = None) -> None:
    """Print ``frame`` whole without its index: every row and column, no wrapping."""
    print(frame.to_string(index=False, float_format=float_format))


def fail(message: object, *, code: int = 1) -> int:
    """Print ``error: <message>`` on stderr and return ``code`` (the job's exit code).

    Examples
    --------
    >>> fail("no such programme")
    1
    """
    # Translators: how a command reports an error on the terminal.
    print(_("error: {message}").format(message=message), file=sys.stderr)
    return code
