"""Which catalogues a programme can choose, by id: shipped ones and those a programme supplied.

A catalogue is offered by id when its CSV has a description ``NAME.meta.json`` beside it
(:mod:`geo.catalogue.info`) in one of :func:`catalogue_folders`: the shipped
``data/catalogue`` (the EWC, Brazil's IBAMA list) and ``<data_dir>/catalogues``, where
:meth:`geo.catalogue.china.ChinaListReport.write` puts a Chinese programme's list. A programme
that stores the id of its catalogue resolves it here with :func:`catalogue_path`.

Examples
--------
>>> from geo.settings import DATA_DIR
>>> table = available_catalogues([DATA_DIR / "catalogue"])
>>> table["id"].tolist()
['ewc', 'ibama_2012']
>>> catalogue_path("ibama_2012", [DATA_DIR / "catalogue"]).name
'ibama_2012.csv'
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from geo.catalogue.info import META_SUFFIX, read_catalogue_info
from geo.errors import CatalogueError
from geo.i18n import _
from geo.settings import DATA_DIR, get_settings

if TYPE_CHECKING:
    from geo.settings import Settings

__all__ = ["available_catalogues", "catalogue_folders", "catalogue_path",
           "supplied_catalogue_dir"]

_COLUMNS = ["id", "name", "short_name", "edition", "valid_from", "valid_until", "language",
            "status", "notice", "path"]


def supplied_catalogue_dir(settings: Settings | None = None) -> Path:
    """Where catalogues supplied by programmes are kept: ``<data_dir>/catalogues``."""
    return Path((settings or get_settings()).data_dir) / "catalogues"


def catalogue_folders(settings: Settings | None = None) -> tuple[Path, ...]:
    """The folders searched for catalogues: shipped first, then supplied."""
    return (DATA_DIR / "catalogue", supplied_catalogue_dir(settings))


def available_catalogues(folders: Sequence[Path] | None = None) -> pd.DataFrame:
    """The catalogues that can be chosen by id, one row each, in folder then name order.

    Returns
    -------
    pandas.DataFrame
        ``id``, ``name``, ``short_name``, ``edition``, ``valid_from``, ``valid_until``,
        ``language``, ``status``, ``notice`` and ``path``.

    Raises
    ------
    CatalogueError
        When two folders offer the same id, or a description is malformed.
    """
    rows: list[dict[str, object]] = []
    seen: dict[str, Path] = {}
    for folder in folders if folders is not None else catalogue_folders():
        for meta in sorted(Path(folder).glob(f"*{META_SUFFIX}")):
            csv = meta.with_name(meta.name.removesuffix(META_SUFFIX) + ".csv")
            if not csv.is_file():
                continue
            info = read_catalogue_info(csv)
            if (other := seen.get(info.catalogue_id)) is not None:
                msg = _("Two catalogues have the id {id!r}: {first!r} and {second!r}. Fix: give "
                        "one another id in its description.").format(
                    id=info.catalogue_id, first=str(other), second=str(csv))
                raise CatalogueError(msg)
            seen[info.catalogue_id] = csv
            rows.append({"id": info.catalogue_id, "name": info.name,
                         "short_name": info.short_name, "edition": info.edition,
                         "valid_from": info.valid_from, "valid_until": info.valid_until,
                         "language": info.language, "status": info.status,
                         "notice": info.notice, "path": csv})
    return pd.DataFrame(rows, columns=_COLUMNS)


def catalogue_path(catalogue_id: str, folders: Sequence[Path] | None = None) -> Path:
    """The CSV of the catalogue with this id (for :func:`~geo.catalogue.load_catalogue`).

    Raises
    ------
    CatalogueError
        Naming the ids available when none has this one.
    """
    table = available_catalogues(folders)
    hit = table[table["id"] == catalogue_id]
    if hit.empty:
        msg = (f"No catalogue with the id {catalogue_id!r}; available: "
               f"{', '.join(map(repr, table['id'])) or 'none'}. Fix: choose one of those, or "
               "supply the list (e.g. geo.catalogue.china.read_china_hw_list(...).write("
               "supplied_catalogue_dir())).")
        raise CatalogueError(msg)
    return Path(hit["path"].iloc[0])
