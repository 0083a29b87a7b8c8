"""Tests of geo.synergies.records: a programme as the flat record table the matcher uses."""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.programme import Programme
from geo.synergies.records import archived_mask, prepare_records, record_key, site_lonlat


def test_records_carry_site_positions_keys_and_ranks(tiny_programme: Programme) -> None:
    """Each resource gets its site's position, park, sector, matching key and frequency rank."""
    records, lon, lat, notes = prepare_records(tiny_programme)
    assert len(records) == len(tiny_programme.resources)
    h1 = records.set_index("resource_id").loc["H1"]
    assert (h1["site"], h1["park"], h1["sector"], h1["key"]) == (0, "PA", "22.2", "150102")
    assert records.set_index("resource_id").loc["H5", "key"] == "class:energy"
    assert (lon[0], lat[0]) == (26.90, 60.50)
    assert len(lon) == len(tiny_programme.sites) + 1 and np.isnan(lon[-1])
    assert records["active"].all() and notes == []


def test_problems_are_noted_not_dropped(tiny_programme: Programme) -> None:
    """Records of unknown, unlocated or archived sites and uncoded material haves are kept,
    each kind counted in a note."""
    prog = tiny_programme
    prog.resources.loc[prog.resources["resource_id"] == "W1", "site_id"] = "S99"
    prog.resources.loc[prog.resources["resource_id"] == "H4", "ewc_code"] = None
    prog.sites["archived"] = prog.sites["site_id"] == "S3"
    records, _, _, notes = prepare_records(prog)
    assert len(records) == len(prog.resources)
    text = [str(n) for n in notes]
    assert "1 record names a site that is not in the programme; it is kept without a " \
        "location." in text
    assert "1 record of an archived site is not matched." in text
    assert "1 material have has no catalogue code and cannot be matched." in text
    by_id = records.set_index("resource_id")
    assert not by_id.loc["W2", "active"] and by_id.loc["W1", "active"]


def test_record_key_by_code_and_class() -> None:
    """A code is its own key, uncoded energy is 'class:energy', uncoded material has none."""
    codes = pd.Series(["150102", None, None, ""], index=[5, 6, 7, 8])
    classes = pd.Series(["material", "energy", "material", "water"], index=[5, 6, 7, 8])
    assert record_key(codes, classes).to_dict() == {5: "150102", 6: "class:energy", 7: "",
                                                    8: "class:water"}


def test_site_positions_and_archived_sites(tiny_programme: Programme) -> None:
    """Unlocated sites get NaN coordinates; 'archived' or an 'archived_at' date archives."""
    sites = tiny_programme.sites.copy()
    sites.loc[1, "geometry"] = None
    lon, lat = site_lonlat(sites)
    assert np.isnan(lon[1]) and np.isnan(lat[1]) and lon[0] == 26.90
    sites["archived_at"] = [None, "2026-02-01", None, None, None, None, None]
    sites["archived"] = [True, False, False, False, False, False, False]
    assert archived_mask(sites).tolist() == [True, True, False, False, False, False, False]
