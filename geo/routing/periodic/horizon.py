"""The planning horizon, collection frequencies, and the visit patterns they allow.

- A :class:`Horizon` is one to four weeks of working weekdays (Monday–Friday by default),
  minus any closed days; its *working days* are numbered ``0 … n_days - 1`` in calendar order.
  The plan repeats every horizon, so gaps between visits wrap around its end.
- A :class:`VisitFrequency` is *n per week* (2–6), *weekly*, *fortnightly* or *every four
  weeks*. Collections are regular: the same weekday(s) every week (or every other week, or
  once in four weeks), so drivers and producers can learn the round.
- :func:`visit_patterns` lists the patterns a producer can have: the working days of each
  regular arrangement of its accepted weekdays, spread out (for *n per week* the gaps between
  visits stay within a day of even), and no gap longer than an optional storage limit.
- :func:`pickups_per_visit` gives what each visit collects: the annual quantity times the
  calendar days since the previous visit over a 364-day year (52 weeks), so that a year of the
  repeated plan collects the annual quantity exactly (weekly: a 52nd of it).
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass
from typing import Final, Literal

from geo.errors import RoutingError
from geo.i18n import _
from geo.routing.problem import WEEKDAYS

__all__ = ["DAYS_PER_YEAR", "MAX_WEEKS", "Horizon", "HorizonDay", "VisitFrequency",
           "gaps_days", "pickups_per_visit", "visit_patterns"]

MAX_WEEKS: Final = 4
DAYS_PER_YEAR: Final = 364
"""Calendar days of the planning year (52 weeks), over which annual quantities accrue."""

FrequencyKind = Literal["per_week", "weekly", "fortnightly", "four_weekly"]
_PERIOD_WEEKS: Final[dict[str, int]] = {"weekly": 1, "fortnightly": 2, "four_weekly": 4}


@dataclass(frozen=True)
class HorizonDay:
    """A working day: its index among working days, week (0-based), weekday and calendar day."""

    index: int
    week: int
    weekday: str

    @property
    def calendar(self) -> int:
        """Days since Monday of week 1."""
        return 7 * self.week + WEEKDAYS.index(self.weekday)

    @property
    def label(self) -> str:
        """``W1 Mon`` — how the day is named in calendars and run sheets."""
        return f"W{self.week + 1} {self.weekday.capitalize()}"


@dataclass(frozen=True)
class Horizon:
    """One to four weeks of working weekdays, minus closed days.

    Attributes
    ----------
    weeks : int
        Weeks in the horizon (1–4); the plan repeats after it.
    weekdays : tuple of str
        Working weekdays (codes of :data:`~geo.routing.problem.WEEKDAYS`).
    closed : tuple of int
        Calendar days (0 = Monday of week 1) without collections, e.g. a public holiday.

    Examples
    --------
    >>> h = Horizon(weeks=2, weekdays=("mon", "thu"), closed=(10,))
    >>> [d.label for d in h.days]
    ['W1 Mon', 'W1 Thu', 'W2 Mon']
    """

    weeks: int = 1
    weekdays: tuple[str, ...] = WEEKDAYS[:5]
    closed: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        if not 1 <= self.weeks <= MAX_WEEKS:
            msg = _("A horizon runs one to {max_weeks} weeks, got weeks={weeks}; plan 1, 2, 3 "
                    "or 4 weeks.").format(max_weeks=MAX_WEEKS, weeks=repr(self.weeks))
            raise RoutingError(msg)
        bad = [d for d in self.weekdays if d not in WEEKDAYS]
        if bad:
            msg = _("Working weekdays must be codes of {codes}, got {bad}; write e.g. ('mon', "
                    "'tue', 'wed', 'thu', 'fri').").format(codes=WEEKDAYS, bad=repr(bad))
            raise RoutingError(msg)
        if not self.days:
            if self.closed:
                msg = _("The horizon of {weeks} week(s) has no working day: working weekdays "
                        "{weekdays} ({closed} day(s) closed). Choose at least one working "
                        "weekday and reopen a closed day.")
            else:
                msg = _("The horizon of {weeks} week(s) has no working day: working weekdays "
                        "{weekdays}. Choose at least one working weekday and reopen a closed "
                        "day.")
            msg = msg.format(weeks=self.weeks, weekdays=repr(list(self.weekdays)),
                             closed=len(self.closed))
            raise RoutingError(msg)

    @property
    def days(self) -> tuple[HorizonDay, ...]:
        """Working days in calendar order."""
        out: list[HorizonDay] = []
        for week in range(self.weeks):
            for wd in WEEKDAYS:
                day = HorizonDay(len(out), week, wd)
                if wd in self.weekdays and day.calendar not in self.closed:
                    out.append(day)
        return tuple(out)

    @property
    def n_days(self) -> int:
        """Working days."""
        return len(self.days)

    @property
    def calendar_days(self) -> int:
        """Calendar days in the horizon (7 per week)."""
        return 7 * self.weeks

    @property
    def labels(self) -> tuple[str, ...]:
        """``W1 Mon``-style label of every working day."""
        return tuple(d.label for d in self.days)

    def index_of(self, week: int, weekday: str) -> int | None:
        """Working-day index of a week and weekday, or None when it is not worked."""
        for d in self.days:
            if d.week == week and d.weekday == weekday:
                return d.index
        return None


@dataclass(frozen=True)
class VisitFrequency:
    """How often a producer is collected.

    Attributes
    ----------
    kind : {"per_week", "weekly", "fortnightly", "four_weekly"}
    per_week : int
        Visits per week for ``per_week`` (2–6); 1 otherwise.

    Examples
    --------
    >>> VisitFrequency.parse("2/week").label, VisitFrequency.parse("monthly").label
    ('2 per week', 'every four weeks')
    >>> VisitFrequency.parse("fortnightly").visits_per_year
    26
    """

    kind: FrequencyKind = "weekly"
    per_week: int = 1

    def __post_init__(self) -> None:
        if self.kind == "per_week":
            if not 2 <= self.per_week <= 6:
                msg = _("Visits per week must be 2 to 6 (use 'weekly' for one), got "
                        "{value}.").format(value=repr(self.per_week))
                raise RoutingError(msg)
        elif self.kind in _PERIOD_WEEKS:
            if self.per_week != 1:
                msg = _("per_week applies to 'per_week' frequencies only, got {value}.").format(
                    value=repr(self))
                raise RoutingError(msg)
        else:
            msg = _("Frequency must be 'per_week', 'weekly', 'fortnightly' or 'four_weekly', "
                    "got {value}.").format(value=repr(self.kind))
            raise RoutingError(msg)

    @classmethod
    def parse(cls, text: str) -> VisitFrequency:
        """``"2/week"``, ``"3 per week"``, ``"weekly"``, ``"fortnightly"``, ``"4-weekly"``.

        ``"monthly"`` (the single-cycle planner's word) means every four weeks.
        """
        t = str(text).strip().lower().replace("_", " ").replace("-", " ")
        m = re.fullmatch(r"(\d)\s*(?:/|x|per|times per|times a|a)\s*week", t)
        if m:
            n = int(m.group(1))
            return cls("weekly") if n == 1 else cls("per_week", n)
        words = {"weekly": "weekly", "fortnightly": "fortnightly", "biweekly": "fortnightly",
                 "every 2 weeks": "fortnightly", "4 weekly": "four_weekly",
                 "four weekly": "four_weekly", "every 4 weeks": "four_weekly",
                 "every four weeks": "four_weekly", "monthly": "four_weekly"}
        if t in words:
            return cls(words[t])  # type: ignore[arg-type]
        msg = _("Unknown collection frequency {text}; write '2/week' … '6/week', 'weekly', "
                "'fortnightly' or 'every 4 weeks'.").format(text=repr(text))
        raise RoutingError(msg)

    @property
    def period_weeks(self) -> int:
        """Weeks after which the arrangement repeats (1 for weekly and n per week)."""
        return _PERIOD_WEEKS.get(self.kind, 1)

    @property
    def visits_per_year(self) -> int:
        """Collections in a 52-week year."""
        return 52 * self.per_week if self.kind == "per_week" else 52 // self.period_weeks

    @property
    def label(self) -> str:
        """How the frequency reads in tables."""
        return {"per_week": f"{self.per_week} per week", "weekly": "weekly",
                "fortnightly": "fortnightly", "four_weekly": "every four weeks"}[self.kind]

    def visits_in(self, horizon: Horizon) -> float:
        """Visits the frequency asks for in ``horizon`` (fractional when it does not fit)."""
        return horizon.weeks * self.per_week / self.period_weeks


def gaps_days(calendar_days: tuple[int, ...], horizon_days: int) -> tuple[int, ...]:
    """Calendar days since the previous visit, for each visit (wrapping round the horizon).

    Examples
    --------
    >>> gaps_days((0, 3), 7), gaps_days((2,), 14)
    ((4, 3), (14,))
    """
    out = []
    for k, c in enumerate(calendar_days):
        prev = calendar_days[k - 1] - (horizon_days if k == 0 else 0)
        out.append(c - prev)
    return tuple(out)


def _spread(weekdays: tuple[str, ...]) -> bool:
    """Whether ``n`` weekdays are spread out: every gap within a day of 7 / n."""
    idx = sorted(WEEKDAYS.index(d) for d in weekdays)
    gaps = gaps_days(tuple(idx), 7)
    even = 7 / len(idx)
    return all(math.floor(even) - 1 <= g <= math.ceil(even) + 1 for g in gaps)


def visit_patterns(frequency: VisitFrequency, accepted: tuple[str, ...], horizon: Horizon, *,
                   max_gap_days: float | None = None) -> tuple[tuple[int, ...], ...]:
    """Every regular pattern (working-day indices) the frequency allows on accepted weekdays.

    Returns an empty tuple when none exists (the caller says why: see
    :func:`~geo.routing.periodic.explain.pattern_problem`).

    Examples
    --------
    >>> h = Horizon(weeks=2)
    >>> visit_patterns(VisitFrequency("fortnightly"), ("mon",), h)
    ((0,), (5,))
    >>> visit_patterns(VisitFrequency("per_week", 2), ("mon", "tue", "thu"), Horizon())
    ((0, 3), (1, 3))
    """
    if horizon.weeks % frequency.period_weeks:
        return ()
    days = [d for d in WEEKDAYS if d in accepted]
    weeks = horizon.weeks
    out: list[tuple[int, ...]] = []
    if frequency.kind == "per_week":
        sets = [c for c in itertools.combinations(days, frequency.per_week) if _spread(c)]
        arrangements = [[(w, d) for w in range(weeks) for d in c] for c in sets]
    else:
        period = frequency.period_weeks
        arrangements = [[(w, d) for w in range(offset, weeks, period)]
                        for offset in range(period) for d in days]
    for arr in arrangements:
        idx = [horizon.index_of(w, d) for w, d in arr]
        if any(i is None for i in idx):
            continue
        pattern = tuple(sorted(int(i) for i in idx if i is not None))
        if max_gap_days is not None:
            cal = tuple(horizon.days[i].calendar for i in pattern)
            if max(gaps_days(cal, horizon.calendar_days)) > max_gap_days + 1e-9:
                continue
        if pattern not in out:
            out.append(pattern)
    return tuple(sorted(out))


def pickups_per_visit(pattern: tuple[int, ...], horizon: Horizon,
                      quantity_per_year: float) -> tuple[float, ...]:
    """What each visit of ``pattern`` collects: the quantity accrued since the previous one.

    Examples
    --------
    >>> pickups_per_visit((0, 3), Horizon(), 364.0)   # Mon and Thu: 4 and 3 days of 1/day
    (4.0, 3.0)
    """
    cal = tuple(horizon.days[i].calendar for i in pattern)
    return tuple(quantity_per_year * g / DAYS_PER_YEAR
                 for g in gaps_days(cal, horizon.calendar_days))
