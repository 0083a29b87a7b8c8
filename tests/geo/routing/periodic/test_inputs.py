"""Tests of the periodic round's input tables and calendar views (geo.routing.periodic.inputs,
and the calendar views of geo.routing.periodic.tables)."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.routing.periodic import (
    FREQUENCY_CHOICES,
    Horizon,
    VisitFrequency,
    calendar_for_reading,
    day_headers,
    day_label,
    edited_producers,
    frequency_code,
    frequency_table,
    horizon_fleet,
    select_producers,
    stream_table,
    vehicle_calendar,
)
from geo.routing.problem import WEEKDAYS


@pytest.mark.parametrize(("frequency", "code"), [
    (VisitFrequency("per_week", per_week=2), "2/week"),
    (VisitFrequency("weekly"), "weekly"),
    (VisitFrequency("fortnightly"), "fortnightly"),
    (VisitFrequency("four_weekly"), "four_weekly"),
])
def test_frequency_code_is_a_choice_that_parses_back(producers, frequency, code) -> None:
    """A frequency's code is one of the table's choices and parses back to the frequency."""
    from dataclasses import replace

    p = replace(producers[0], frequency=frequency)
    assert frequency_code(p) == code
    assert code in FREQUENCY_CHOICES
    assert VisitFrequency.parse(code) == frequency


def test_frequency_table_has_a_row_and_a_tick_per_producer_and_weekday(producers) -> None:
    """One row per producer, in order, with its labelled streams, code and accepted days."""
    table = frequency_table(producers, stream_label=str.upper)
    assert list(table.columns) == ["stop_id", "name", "streams", "frequency", *WEEKDAYS]
    assert table["stop_id"].tolist() == [p.stop_id for p in producers]
    assert table.loc[1, "streams"] == "CARDBOARD, WASTE OIL"
    assert table["frequency"].tolist() == [frequency_code(p) for p in producers]
    for row, p in zip(table.itertuples(index=False), producers, strict=True):
        assert tuple(d for d in WEEKDAYS if getattr(row, d)) == p.weekdays


def test_an_unedited_frequency_table_gives_the_same_producers(producers) -> None:
    """Reading back the table as it was made changes no producer."""
    assert edited_producers(producers, frequency_table(producers)) == producers


def test_edits_of_the_frequency_table_reach_the_producers(producers) -> None:
    """A changed frequency and weekday ticks reach that producer only."""
    table = frequency_table(producers)
    table.loc[table["stop_id"] == "p2", "frequency"] = "3/week"
    table.loc[table["stop_id"] == "p2", list(WEEKDAYS)] = False
    table.loc[table["stop_id"] == "p2", ["mon", "wed", "fri"]] = True
    out = edited_producers(producers, table)
    assert out[2].frequency == VisitFrequency("per_week", per_week=3)
    assert out[2].weekdays == ("mon", "wed", "fri")
    assert [p for i, p in enumerate(out) if i != 2] == [p for i, p in enumerate(producers)
                                                        if i != 2]


def test_stream_table_shares_one_compartment_but_for_hazardous_streams() -> None:
    """Non-hazardous streams share ``main``; a hazardous one has its own; ``apart`` splits all."""
    shared = stream_table(["cardboard", "plastics", "waste oil"], {"waste oil": True}, 15.0,
                          apart=False)
    assert shared["compartment"].tolist() == ["main", "main", "waste oil"]
    assert shared["hazardous"].tolist() == [False, False, True]
    assert shared["capacity_t"].tolist() == [15.0] * 3
    assert shared["dedicated_vehicles"].tolist() == [0] * 3
    apart = stream_table(["cardboard", "plastics"], {}, 15.0, apart=True)
    assert apart["compartment"].tolist() == ["cardboard", "plastics"]


def test_horizon_fleet_builds_compartments_and_dedicated_classes(demo_programme) -> None:
    """Shared compartments ride on the shared vehicles; a dedicated one gets its own class."""
    site = str(demo_programme.sites["site_id"].iloc[0])
    table = stream_table(["cardboard", "plastics", "waste oil"], {"waste oil": True}, 10.0,
                         apart=False)
    table.loc[2, ["capacity_t", "dedicated_vehicles"]] = [2.0, 1]
    fleet = horizon_fleet(demo_programme, table, site, vehicles=3, shift=(7, 15),
                          unload="depot", reprocessors={})
    assert [(c.name, c.streams) for c in fleet.compartments] == [
        ("main", ("cardboard", "plastics")), ("waste oil", ("waste oil",))]
    shared, oil = fleet.classes
    assert shared.capacities == (("main", 10.0),) and shared.fleet.vehicles == 3
    assert oil.capacities == (("waste oil", 2.0),) and oil.fleet.vehicles == 1
    assert shared.fleet.shift_start_s == 7 * 3600 and shared.fleet.shift_end_s == 15 * 3600
    assert shared.depot.site_id == site
    assert [s.hazardous for s in fleet.streams] == [False, False, True]
    assert all(s.reprocessor is None for s in fleet.streams)


def test_horizon_fleet_unloads_at_the_chosen_reprocessors(demo_programme) -> None:
    """With ``unload="reprocessor"`` each stream unloads at its chosen site."""
    depot, mill, recycler = (str(s) for s in demo_programme.sites["site_id"].iloc[:3])
    table = stream_table(["cardboard", "plastics"], {}, 10.0, apart=True)
    fleet = horizon_fleet(demo_programme, table, depot, vehicles=1, shift=(6, 14),
                          unload="reprocessor",
                          reprocessors={"cardboard": mill, "plastics": recycler})
    assert [s.reprocessor.site_id for s in fleet.streams if s.reprocessor] == [mill, recycler]
    assert fleet.classes[0].unload == "reprocessor"
    same = horizon_fleet(demo_programme, table, depot, vehicles=1, shift=(6, 14),
                         unload="depot", reprocessors={"cardboard": mill})
    assert all(s.reprocessor is None for s in same.streams)


def test_select_producers_leaves_the_depot_out(demo_programme) -> None:
    """The depot's site is never one of the producers selected."""
    sel = select_producers(demo_programme, ["organics"], [], "nope")
    assert sel.producers
    depot = sel.producers[0].stop_id
    again = select_producers(demo_programme, ["organics"], [], depot)
    assert depot not in {p.stop_id for p in again.producers}


def test_day_label_and_headers_name_the_working_days() -> None:
    """``W1 Mon`` for the first Monday; one header per working day of the horizon."""
    assert day_label(0, "mon") == "W1 Mon"
    assert day_headers(Horizon(weeks=2, weekdays=("mon", "thu"))) == {
        "W1 Mon": "W1 Mon", "W1 Thu": "W1 Thu", "W2 Mon": "W2 Mon", "W2 Thu": "W2 Thu"}


def test_vehicle_calendar_lists_each_vehicles_collections_in_order() -> None:
    """A row per vehicle, a column per working day, collected names in driving order."""
    sheet = pd.DataFrame({
        "vehicle": ["v2", "v1", "v1", "v1", "v2"],
        "date": ["W1 Mon", "W1 Mon", "W1 Mon", "W1 Mon", "W1 Tue"],
        "activity": ["collect", "leave depot", "collect", "collect", "collect"],
        "name": ["C", "Depot", "A", "B", "D"]})
    out = vehicle_calendar(sheet, Horizon(weeks=1, weekdays=("mon", "tue", "wed")))
    assert out.to_dict("list") == {"vehicle": ["v1", "v2"], "W1 Mon": ["A → B", "C"],
                                   "W1 Tue": ["", "D"], "W1 Wed": ["", ""]}


def test_calendar_for_reading_labels_frequencies_and_streams(producers) -> None:
    """Frequencies become their labels, streams their labels, other columns stay."""
    cal = pd.DataFrame({"stop_id": ["p0", "p1"], "frequency": ["x", "y"],
                        "streams": ["cardboard", "cardboard, waste oil"], "W1 Mon": ["r1", ""]})
    out = calendar_for_reading(cal, producers, stream_label=str.title)
    assert out["frequency"].tolist() == ["fortnightly", "weekly"]
    assert out["streams"].tolist() == ["Cardboard", "Cardboard, Waste Oil"]
    assert out["W1 Mon"].tolist() == ["r1", ""]
