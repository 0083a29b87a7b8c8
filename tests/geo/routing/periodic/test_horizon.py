"""Tests of the horizon, frequencies, visit patterns and pickups (geo.routing.periodic.horizon)."""

from __future__ import annotations

import pytest

from geo.errors import RoutingError
from geo.routing.periodic.horizon import (
    Horizon,
    VisitFrequency,
    gaps_days,
    pickups_per_visit,
    visit_patterns,
)


def test_working_days_skip_weekends_and_closed_days() -> None:
    """Two weeks of Mon–Fri with W1 Wed closed have nine working days, numbered in order."""
    h = Horizon(weeks=2, closed=(2,))
    assert h.n_days == 9
    assert h.labels[:3] == ("W1 Mon", "W1 Tue", "W1 Thu")
    assert [d.index for d in h.days] == list(range(9))


@pytest.mark.parametrize(("weeks", "weekdays", "closed"), [
    (0, ("mon",), ()), (5, ("mon",), ()), (1, (), ()), (1, ("mon",), (0,)), (1, ("xyz",), ())])
def test_bad_horizons_are_refused(weeks: int, weekdays: tuple[str, ...],
                                  closed: tuple[int, ...]) -> None:
    """No weeks, too many weeks, no working day (none chosen, or all closed) are refused."""
    with pytest.raises(RoutingError):
        Horizon(weeks=weeks, weekdays=weekdays, closed=closed)


def test_no_working_day_message_says_what_to_change() -> None:
    """A horizon with no working day says so and how to fix it."""
    with pytest.raises(RoutingError, match=r"no working day.*Choose at least one working"):
        Horizon(weeks=1, weekdays=("mon",), closed=(0,))


@pytest.mark.parametrize(("text", "kind", "per_week", "per_year"), [
    ("2/week", "per_week", 2, 104), ("3 per week", "per_week", 3, 156),
    ("weekly", "weekly", 1, 52), ("1/week", "weekly", 1, 52),
    ("fortnightly", "fortnightly", 1, 26), ("every 4 weeks", "four_weekly", 1, 13),
    ("monthly", "four_weekly", 1, 13)])
def test_frequencies_parse(text: str, kind: str, per_week: int, per_year: int) -> None:
    """Frequencies read from words; ``monthly`` is every four weeks (13 a year)."""
    f = VisitFrequency.parse(text)
    assert (f.kind, f.per_week, f.visits_per_year) == (kind, per_week, per_year)


def test_unknown_frequency_is_refused() -> None:
    """A frequency word that is not known says which ones are."""
    with pytest.raises(RoutingError, match="2/week"):
        VisitFrequency.parse("hourly")


def test_weekly_patterns_are_one_weekday_every_week() -> None:
    """Weekly over two weeks on Mon/Thu: Monday both weeks, or Thursday both weeks."""
    h = Horizon(weeks=2, weekdays=("mon", "thu"))
    assert visit_patterns(VisitFrequency("weekly"), ("mon", "thu"), h) == ((0, 2), (1, 3))


def test_twice_weekly_patterns_are_spread_out() -> None:
    """Twice a week on Mon–Fri never pairs neighbouring days (Mon+Tue leaves a 6-day gap)."""
    pats = visit_patterns(VisitFrequency("per_week", 2), ("mon", "tue", "wed", "thu", "fri"),
                          Horizon())
    assert (0, 3) in pats and (1, 4) in pats
    assert (0, 1) not in pats and (3, 4) not in pats


def test_fortnightly_needs_an_even_horizon() -> None:
    """Fortnightly collections fit 2 or 4 weeks, not 1 or 3."""
    f = VisitFrequency("fortnightly")
    assert visit_patterns(f, ("tue",), Horizon(weeks=1)) == ()
    assert visit_patterns(f, ("tue",), Horizon(weeks=4)) == ((1, 11), (6, 16))


def test_storage_limit_caps_the_gap() -> None:
    """Storage of 10 days rules out fortnightly (14-day gaps) but keeps weekly."""
    h = Horizon(weeks=2)
    assert visit_patterns(VisitFrequency("fortnightly"), ("mon",), h, max_gap_days=10) == ()
    assert visit_patterns(VisitFrequency("weekly"), ("mon",), h, max_gap_days=10) == ((0, 5),)


def test_closed_day_removes_the_patterns_that_need_it() -> None:
    """Weekly on Tuesdays with W2 Tuesday closed has no pattern."""
    h = Horizon(weeks=2, closed=(8,))
    assert visit_patterns(VisitFrequency("weekly"), ("tue",), h) == ()
    assert visit_patterns(VisitFrequency("weekly"), ("tue", "wed"), h) == ((2, 6),)  # Wed, Wed


def test_gaps_wrap_round_the_horizon() -> None:
    """Monday and Thursday of a one-week cycle: 4 days since Thursday, 3 since Monday."""
    assert gaps_days((0, 3), 7) == (4, 3)
    assert gaps_days((5,), 28) == (28,)


def test_pickups_follow_the_gap_and_add_up_to_the_year() -> None:
    """Weekly collects a 52nd of the year; Mon+Thu collect 4/7 and 3/7 of a week's worth."""
    assert pickups_per_visit((0,), Horizon(), 52.0) == (1.0,)
    mon, thu = pickups_per_visit((0, 3), Horizon(), 52.0)
    assert mon == pytest.approx(4 / 7) and thu == pytest.approx(3 / 7)
    h = Horizon(weeks=4)
    four = pickups_per_visit((7,), h, 52.0)
    assert four == (pytest.approx(4.0),)


def test_horizon_errors_in_the_pseudo_locale() -> None:
    """A horizon's refusals are translated with the figures filled in."""
    from geo.i18n import use_locale

    with use_locale("qps_PLOC"), pytest.raises(RoutingError) as err:
        Horizon(weeks=9)
    assert str(err.value).startswith("⟦À hõrîzõñ rüñs õñé tõ 4 wééks, gõt wééks=9")
    with use_locale("qps_PLOC"), pytest.raises(RoutingError, match=r"^⟦Üñkñõwñ .*'sometimes'"):
        VisitFrequency.parse("sometimes")
