"""Tests of geo.catalogue.crosswalk: the format and its refusals, selection across catalogues,
the shipped EWC ↔ IBAMA candidates, and cross-catalogue matching (geo.synergies.matching).

``alpha`` and ``beta`` are two made-up catalogues whose codes share digits but not meanings
(like the EWC and IBAMA's 16 01 03): alpha 010101 is tyres, beta 010101 is vehicles.
"""

from __future__ import annotations

import io
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box

from geo.catalogue.catalogue import Catalogue, load_catalogue
from geo.catalogue.crosswalk import (
    CROSSWALK_COLUMNS,
    Crosswalk,
    check_crosswalk,
    load_crosswalk,
    record_keys,
    selection_mask,
)
from geo.catalogue.info import CatalogueInfo
from geo.errors import CatalogueError
from geo.programme import RESOURCE_COLUMNS, SITE_COLUMNS, Programme
from geo.settings import DATA_DIR
from geo.synergies.matching import Matcher

CATALOGUE_DIR = DATA_DIR / "catalogue"
SHIPPED = CATALOGUE_DIR / "crosswalks" / "ewc__ibama_2012.csv"
HEADER = ",".join(CROSSWALK_COLUMNS) + "\n"
ALPHA = """code,level,parent,description,hazardous
01,chapter,,alpha chapter,false
0101,subchapter,01,alpha sub,false
010101,entry,0101,tyres,false
010102,entry,0101,vehicles,true
010103,entry,0101,plastic and rubber,false
"""
BETA = """code,level,parent,description,hazardous
01,chapter,,beta chapter,false
0101,subchapter,01,beta sub,false
010101,entry,0101,vehicles,true
010102,entry,0101,car tyres,false
010103,entry,0101,truck tyres,false
010104,entry,0101,plastics,false
010105,entry,0101,rubber,false
0102,subchapter,01,beta other,false
010201,entry,0102,something else,false
"""
ROWS = HEADER + """alpha,01 01 01,narrower,beta,01 01 02,true,test,car tyres are tyres
alpha,01 01 01,narrower,beta,01 01 03,false,test,a candidate
alpha,01 01 02,exact,beta,01 01 01,true,test,same digits differ
alpha,01 01 03,narrower,beta,01 01 04,true,test,
beta,01 01 05,broader,alpha,01 01 03,true,test,written from beta's side
alpha,01,related,beta,01 02,true,test,heading to heading
"""


def _catalogue(text: str, catalogue_id: str) -> Catalogue:
    table = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    return Catalogue(table, pd.DataFrame(), meta=CatalogueInfo(catalogue_id, catalogue_id))


def _table(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def alpha() -> Catalogue:
    """A made-up catalogue: 010101 tyres, 010102 vehicles, 010103 plastic and rubber."""
    return _catalogue(ALPHA, "alpha")


@pytest.fixture(scope="module")
def beta() -> Catalogue:
    """A made-up catalogue: 010101 vehicles, 010102/3 car/truck tyres, 010104/5 plastics/rubber."""
    return _catalogue(BETA, "beta")


@pytest.fixture(scope="module")
def xw(alpha: Catalogue, beta: Catalogue) -> Crosswalk:
    """The crosswalk of :data:`ROWS` between alpha and beta."""
    return Crosswalk.from_table(_table(ROWS), [alpha, beta])


@pytest.fixture(scope="module")
def ewc() -> Catalogue:
    """The shipped EWC."""
    return load_catalogue(CATALOGUE_DIR / "ewc.csv")


@pytest.fixture(scope="module")
def ibama() -> Catalogue:
    """The shipped IBAMA list."""
    return load_catalogue(CATALOGUE_DIR / "ibama_2012.csv")


# -- the format and its refusals ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "column", "value", "reason"),
    [
        ("alpha,01 01 01,exact,beta,01 01 09,true,test,", "to_code", "01 01 09",
         "not a code of the catalogue 'beta'"),
        ("alpha,99,exact,beta,01 01 01,true,test,", "from_code", "99",
         "not a code of the catalogue 'alpha'"),
        ("gamma,01 01 01,exact,beta,01 01 01,true,test,", "from_catalogue", "gamma",
         "not a catalogue given"),
        ("alpha,01 01 01,same,beta,01 01 02,true,test,", "relation", "same", "expected one of"),
        ("alpha,01 01 01,exact,beta,01 01 02,maybe,test,", "reviewed", "maybe", "expected true"),
        ("alpha,01 01 01,exact,beta,01 01 02,true,,", "source", "", "say who made the row"),
        ("alpha,01 01 01,exact,alpha,01 01 02,true,test,", "to_catalogue", "alpha",
         "the same catalogue on both sides"),
        ("beta,01 01 02,broader,alpha,01 01 01,true,test,", "to_code", "01 01 01",
         "already linked on row 2"),
    ],
)
def test_bad_rows_are_refused_with_their_row(alpha: Catalogue, beta: Catalogue, row: str,
                                             column: str, value: str, reason: str) -> None:
    """A bad row is listed with its file row, column, value and reason, and refuses the file."""
    text = HEADER + "alpha,01 01 01,narrower,beta,01 01 02,true,test,\n" + row + "\n"
    good, problems = check_crosswalk(_table(text), [alpha, beta])
    assert len(good) == 1
    assert problems[["row", "column", "value"]].values.tolist() == [[3, column, value]]
    assert reason in problems.loc[0, "message"]
    with pytest.raises(CatalogueError, match=rf"refused: 1 problem.*row 3, {column}"):
        Crosswalk.from_table(_table(text), [alpha, beta])


def test_every_bad_row_is_listed(alpha: Catalogue, beta: Catalogue, tmp_path: Path) -> None:
    """Several bad rows are all reported by row, and load_crosswalk names the file."""
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "alpha,01 01 09,exact,beta,01 01 01,true,test,\n"
                    "alpha,01 01 01,exact,beta,16 01 03,true,test,\n", encoding="utf-8")
    _, problems = check_crosswalk(_table(path.read_text(encoding="utf-8")), [alpha, beta])
    assert problems["row"].tolist() == [2, 3]
    with pytest.raises(CatalogueError, match=r"'bad.csv' refused: 2 problem.*row 2.*row 3"):
        load_crosswalk(path, [alpha, beta])


def test_missing_column_is_refused(alpha: Catalogue, beta: Catalogue) -> None:
    """A table without the relation column cannot be read row by row and is refused."""
    with pytest.raises(CatalogueError, match=r"missing column.*'relation'"):
        check_crosswalk(_table("from_catalogue,from_code,to_catalogue,to_code,reviewed,source\n"),
                        [alpha, beta])


def test_empty_crosswalk_is_valid_and_maps_nothing(alpha: Catalogue, beta: Catalogue) -> None:
    """A header-only crosswalk loads; with it no code of alpha reaches beta, same digits or not."""
    empty = Crosswalk.from_table(_table(HEADER), [alpha, beta])
    assert empty.table.empty
    assert alpha.codes_in(beta, ["010101", "01"], crosswalk=empty) == frozenset()


def test_rows_read_both_ways(xw: Crosswalk) -> None:
    """Read from beta, alpha's rows turn round with the inverse relation."""
    back = xw.pairs("beta", "alpha").set_index("from_code")
    assert back.loc["010102", "to_code"] == "010101"
    assert back.loc["010102", "relation"] == "broader"  # alpha's tyres contain beta's car tyres
    assert back.loc["010101", "relation"] == "exact"
    ahead = xw.pairs("alpha", "beta")
    assert ahead.set_index("to_code").loc["010105", "relation"] == "narrower"
    assert len(xw.pairs("alpha", "beta", reviewed_only=True)) == len(ahead) - 1


# -- selection across catalogues ------------------------------------------------------------------


def test_selection_never_goes_by_digits(alpha: Catalogue, beta: Catalogue,
                                        xw: Crosswalk) -> None:
    """Alpha's tyres (010101) reach beta's car tyres, not beta's 010101 (vehicles)."""
    assert alpha.codes_in(beta, ["01 01 01"], crosswalk=xw) == {"010102"}
    assert alpha.codes_in(beta, ["010102"], crosswalk=xw) == {"010101"}


def test_candidates_only_when_asked(alpha: Catalogue, beta: Catalogue, xw: Crosswalk) -> None:
    """Unreviewed rows are left out unless reviewed_only=False."""
    assert alpha.codes_in(beta, ["010101"], crosswalk=xw, reviewed_only=False) == {
        "010102", "010103"}


def test_selection_does_not_widen_unless_asked(alpha: Catalogue, beta: Catalogue,
                                              xw: Crosswalk) -> None:
    """Beta's car tyres do not select alpha's tyres (broader) unless broader is allowed."""
    assert beta.codes_in(alpha, ["010102"], crosswalk=xw) == frozenset()
    assert beta.codes_in(alpha, ["010102"], crosswalk=xw,
                         relations=("exact", "narrower", "broader")) == {"010101"}


def test_headings_select_and_expand(alpha: Catalogue, beta: Catalogue, xw: Crosswalk) -> None:
    """A heading row is used when all of it is selected and brings every entry under its target."""
    assert alpha.codes_in(beta, ["01"], crosswalk=xw, relations=("related",)) == {"010201"}
    assert alpha.codes_in(beta, ["010101"], crosswalk=xw, relations=("related",)) == frozenset()
    assert alpha.codes_in(beta, ["0101"], crosswalk=xw) == {"010101", "010102", "010104",
                                                            "010105"}
    assert alpha.codes_in(alpha, ["0101"], crosswalk=xw) == alpha.codes_matching(["0101"])


def test_catalogue_outside_the_crosswalk_is_refused(alpha: Catalogue, xw: Crosswalk,
                                                    ewc: Catalogue) -> None:
    """Asking a crosswalk about a catalogue it does not link says which ones it links."""
    with pytest.raises(CatalogueError, match=r"does not link the catalogue 'ewc'.*'alpha'"):
        alpha.codes_in(ewc, ["010101"], crosswalk=xw)


def test_selection_mask_over_records_of_two_catalogues(alpha: Catalogue,
                                                       xw: Crosswalk) -> None:
    """A 'by stream' filter keeps each record whose own catalogue's code is selected."""
    codes = pd.Series(["01 01 01", "010101", "010102", "010101", "010104"], index=list("abcde"))
    ids = pd.Series(["", "beta", "beta", "alpha", "gamma"], index=list("abcde"))
    mask = selection_mask(codes, ids, selectors=["010101"], source=alpha, crosswalk=xw)
    assert mask.to_dict() == {"a": True, "b": False, "c": True, "d": True, "e": False}
    alone = selection_mask(codes, ids, selectors=["010101"], source=alpha, crosswalk=None)
    assert alone.tolist() == [True, False, False, True, False]


def test_record_keys_keep_catalogues_apart() -> None:
    """Codes of another catalogue are keyed '<id>:<code>'; home and unstated ones stay as is."""
    codes = pd.Series(["160103", "160103", "160103", None], index=[5, 6, 7, 8], name="code")
    ids = pd.Series(["ibama_2012", "ewc", None, "ibama_2012"], index=[5, 6, 7, 8])
    out = record_keys(codes, ids, home="ewc")
    assert out.tolist() == ["ibama_2012:160103", "160103", "160103", None]
    assert out.index.tolist() == [5, 6, 7, 8] and out.name == "code"
    assert record_keys(codes, None, home="ewc").tolist() == ["160103"] * 3 + [None]


def test_matching_links(xw: Crosswalk) -> None:
    """A have's key meets want keys whose code is the same or broader, entries only."""
    links = xw.matching_links(["010101", "beta:010102"], home="alpha")
    got = set(zip(links["have_key"], links["want_key"], links["relation"], strict=True))
    assert got == {("beta:010102", "010101", "broader")}
    exact = xw.matching_links(["010102"], home="alpha")
    assert exact[["want_key", "relation", "row"]].values.tolist() == [["beta:010101", "exact",
                                                                       4]]


# -- the shipped EWC ↔ IBAMA crosswalk ------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped(ewc: Catalogue, ibama: Catalogue) -> Crosswalk:
    """The shipped EWC ↔ IBAMA candidate crosswalk."""
    return load_crosswalk(SHIPPED, [ewc, ibama])


def test_shipped_rows_are_unreviewed_candidates_that_quote_both_lists(
        shipped: Crosswalk, ewc: Catalogue, ibama: Catalogue) -> None:
    """Every shipped row is a candidate whose note quotes both lists' descriptions exactly."""
    t = shipped.table
    assert len(t) > 100
    assert not t["reviewed"].any()
    assert (t["from_catalogue"] == "ewc").all() and (t["to_catalogue"] == "ibama_2012").all()
    for r in t.itertuples(index=False):
        assert f'"{ewc.describe(r.from_code)}"' in r.notes
        assert f'"{ibama.describe(r.to_code)}"' in r.notes


def test_shipped_exact_rows_agree_on_hazard(shipped: Crosswalk, ewc: Catalogue,
                                            ibama: Catalogue) -> None:
    """An exact row never links a hazardous entry with a non-hazardous one."""
    exact = shipped.table[shipped.table["relation"] == "exact"]
    assert all(ewc.is_hazardous(a) == ibama.is_hazardous(b)
               for a, b in zip(exact["from_code"], exact["to_code"], strict=True))


def test_shipped_rows_follow_meaning_not_digits(shipped: Crosswalk, ewc: Catalogue,
                                                ibama: Catalogue) -> None:
    """End-of-life vehicles and tyres cross by meaning; chapter 18 (restructured) has no rows."""
    pairs = set(zip(shipped.table["from_code"], shipped.table["to_code"], strict=True))
    assert ("160103", "160103") not in pairs
    assert ("160104", "160103") in pairs
    assert not shipped.table["from_code"].str.startswith("18").any()
    assert ewc.codes_in(ibama, ["160104"], crosswalk=shipped) == frozenset()  # unreviewed
    tyres = ewc.codes_in(ibama, ["16 01 03"], crosswalk=shipped, reviewed_only=False)
    assert tyres == {f"1601{i}" for i in range(23, 30)}
    assert ibama.codes_in(ewc, ["160103"], crosswalk=shipped, reviewed_only=False) == {"160104"}


def test_shipped_crosswalk_carries_a_stream_group(shipped: Crosswalk, ewc: Catalogue,
                                                  ibama: Catalogue) -> None:
    """The EWC's 'plastics' group reaches IBAMA's plastic codes (and rubber, as 19 12 04 has it)."""
    got = ewc.codes_in(ibama, ["plastics"], crosswalk=shipped, reviewed_only=False)
    assert {"150102", "170203", "191204", "200139"} <= got
    assert "191211" in got  # IBAMA's rubber: the EWC's 19 12 04 is 'plastic and rubber'
    assert all(ibama.is_entry(c) for c in got)


# -- use by the matcher ---------------------------------------------------------------------------


def _programme(records: list[tuple[str, str, str, str, str]]) -> Programme:
    """Three sites near Kotka; records (id, site, have/want, code, catalogue id)."""
    coords = {"S1": (26.90, 60.50), "S2": (26.91, 60.50), "S3": (26.92, 60.51)}
    sites = gpd.GeoDataFrame({
        "site_id": list(coords), "name": [f"Company {s}" for s in coords],
        "sector_nace": "38.3", "address": None, "postcode": None, "city": "Kotka",
        "country": "FI", "park_id": "PA", "location_precision": "exact",
        "location_source": "test", "provenance": "survey", "recorded_on": "2026-01-01",
    }, geometry=[Point(*c) for c in coords.values()], crs=4326)[[*SITE_COLUMNS, "geometry"]]
    parks = gpd.GeoDataFrame({"park_id": ["PA"], "name": ["Park A"], "country": "FI",
                              "region": "Kymenlaakso", "city": "Kotka", "source": "test"},
                             geometry=[box(26.89, 60.49, 26.93, 60.52)], crs=4326)
    res = pd.DataFrame(records, columns=["resource_id", "site_id", "direction", "ewc_code",
                                         "catalogue"])
    res = res.assign(resource_class="material", hazardous=False, quantity=10.0, unit="t/yr",
                     frequency="monthly", fate=None, disposal_cost_per_year=None,
                     provenance="survey", recorded_on="2026-01-01",
                     description="record " + res["resource_id"])
    contacts = pd.DataFrame(columns=["contact_id", "site_id", "name", "role", "email", "phone"])
    return Programme(name="Two catalogues", parks=parks, sites=sites, contacts=contacts,
                     resources=res[[*RESOURCE_COLUMNS, "catalogue"]])


RECORDS = [
    ("H1", "S1", "have", "160104", ""),            # EWC end-of-life vehicles
    ("W1", "S2", "want", "160103", "ibama_2012"),  # IBAMA end-of-life vehicles
    ("W2", "S3", "want", "160104", "ibama_2012"),  # IBAMA vehicles emptied: same digits as H1
    ("H2", "S2", "have", "160124", "ibama_2012"),  # IBAMA car tyres
    ("W3", "S3", "want", "160103", "ewc"),         # EWC end-of-life tyres
]


@pytest.fixture(scope="module")
def reviewed(ewc: Catalogue, ibama: Catalogue) -> Crosswalk:
    """Two shipped rows marked reviewed, as a practitioner would after checking them."""
    rows = _table(SHIPPED.read_text(encoding="utf-8"))
    keep = rows[rows["from_code"].isin(["16 01 04", "16 01 03"])
                & rows["to_code"].isin(["16 01 03", "16 01 24"])].assign(reviewed="true")
    return Crosswalk.from_table(keep, [ewc, ibama])


def test_matcher_keeps_catalogues_apart_without_a_crosswalk(ewc: Catalogue) -> None:
    """Without a crosswalk no record of one catalogue meets another's, whatever the digits."""
    m = Matcher.from_programme(_programme(RECORDS), catalogue=ewc)
    assert m.for_record("H1").table.empty
    assert m.for_record("H2").table.empty
    assert any("another catalogue (ibama_2012)" in n for n in m.notes)


def test_matcher_crosses_catalogues_through_reviewed_rows(ewc: Catalogue,
                                                          reviewed: Crosswalk) -> None:
    """EWC vehicles meet IBAMA vehicles (not IBAMA's 16 01 04); IBAMA car tyres meet EWC tyres."""
    m = Matcher.from_programme(_programme(RECORDS), catalogue=ewc, crosswalk=reviewed)
    t = m.for_record("H1").table.set_index("want_id")
    assert list(t.index) == ["W1"]
    assert t.loc["W1", "basis"] == "family"
    assert t.loc["W1", "rule_id"].startswith("XW") and t.loc["W1", "rule_id"].endswith("/ewc")
    assert "crosswalk row" in t.loc["W1", "reasons"]
    assert "ibama_2012:160103 is the same as 160104" in t.loc["W1", "reasons"]
    tyres = m.for_record("H2").table.set_index("want_id")
    assert list(tyres.index) == ["W3"]
    assert "160103 is broader than ibama_2012:160124" in tyres.loc["W3", "reasons"]
    assert m.descriptions["ibama_2012:160103"] == "Veículos em fim de vida"
    assert set(m.for_record("W1").table["have_id"]) == {"H1"}


def test_unreviewed_candidates_do_not_match(ewc: Catalogue, shipped: Crosswalk) -> None:
    """The shipped, unreviewed rows propose nothing until a practitioner reviews them."""
    m = Matcher.from_programme(_programme(RECORDS), catalogue=ewc, crosswalk=shipped)
    assert m.for_record("H1").table.empty


def test_ewc_rules_are_not_applied_to_an_ibama_programme(ewc: Catalogue,
                                                         ibama: Catalogue) -> None:
    """Rule F12 (EWC 16 01 03 tyres → 19 12 04 crumb) never fires on IBAMA's 16 01 03 vehicles."""
    records = [("H1", "S1", "have", "160103", ""), ("W1", "S2", "want", "191204", "")]
    as_ewc = Matcher.from_programme(_programme(records), catalogue=ewc)
    assert as_ewc.for_record("H1").table["rule_id"].tolist() == ["F12"]
    as_ibama = Matcher.from_programme(_programme(records), catalogue=ibama)
    assert as_ibama.for_record("H1").table.empty
    assert any("only their class rules are used with the ibama_2012" in n
               for n in as_ibama.notes)
