"""Tests of the synergy life cycle: stages, history, rules refused, optimistic locking."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import pytest

from geo.errors import SynergyError
from geo.i18n import use_locale
from geo.synergies.book import SynergyBook, empty_book
from geo.synergies.lifecycle import (
    add_note,
    assign,
    attach_case_study,
    change_stage,
    create_synergy,
    history,
)

HAVE = {"resource_id": "H1", "site_id": "S1", "direction": "have", "quantity": 100.0,
        "unit": "t/yr", "resource_class": "material", "ewc_code": "150102",
        "description": "plastic packaging"}
WANT = {"resource_id": "W1", "site_id": "S2", "direction": "want", "quantity": 80.0,
        "unit": "t/yr"}


def _new() -> tuple[SynergyBook, str]:
    return create_synergy(empty_book(), have=HAVE, want=WANT, practitioner="Aino",
                          at=datetime(2026, 1, 5, tzinfo=UTC))


def test_create_takes_the_smaller_quantity_and_logs_creation() -> None:
    """A new synergy starts at idea, version 1, with the smaller quantity and one event."""
    book, sid = _new()
    row = book.get(sid)
    assert (row["stage"], row["version"], row["quantity"]) == ("idea", 1, 80.0)
    assert history(book, sid)["kind"].tolist() == ["created"]


def test_full_path_to_completion_keeps_every_step() -> None:
    """Each stage change adds a dated event; earlier events are never changed."""
    book, sid = _new()
    stages = ["identified", "in progress", "implemented", "completed"]
    snapshots = []
    for v, stage in enumerate(stages, start=1):
        book = change_stage(book, sid, stage, expected_version=v, practitioner="Aino",
                            note=f"step {v}", at=datetime(2026, 1, 5 + v, tzinfo=UTC))
        snapshots.append(book.events.copy())
    h = history(book, sid)
    assert h["to_stage"].tolist() == ["idea", *stages]
    assert h["at"].is_monotonic_increasing
    assert int(book.get(sid)["version"]) == 5
    pd.testing.assert_frame_equal(snapshots[-1].iloc[:2], snapshots[0].iloc[:2])


def test_forward_skip_is_allowed_backwards_needs_a_reason() -> None:
    """Skipping ahead is fine; going back without a reason is refused, with one accepted."""
    book, sid = _new()
    book = change_stage(book, sid, "implemented", expected_version=1, practitioner="Aino")
    with pytest.raises(SynergyError, match="needs a reason"):
        change_stage(book, sid, "identified", expected_version=2, practitioner="Aino")
    book = change_stage(book, sid, "identified", expected_version=2, practitioner="Aino",
                        reason="trial load rejected")
    assert "trial load rejected" in history(book, sid)["note"].iloc[-1]


def test_abandon_needs_a_reason_and_reopening_too() -> None:
    """Abandoning records the reason; reopening needs one as well."""
    book, sid = _new()
    with pytest.raises(SynergyError, match="reason"):
        change_stage(book, sid, "abandoned", expected_version=1, practitioner="Aino")
    book = change_stage(book, sid, "abandoned", expected_version=1, practitioner="Aino",
                        reason="company closed")
    assert book.get(sid)["abandon_reason"] == "company closed"
    with pytest.raises(SynergyError, match="Reopening"):
        change_stage(book, sid, "idea", expected_version=2, practitioner="Aino")


@pytest.mark.parametrize(("have", "want", "match"), [
    (HAVE, HAVE | {"site_id": "S2"}, "joins a have to a want"),
    (WANT | {"direction": "want"}, WANT, "joins a have to a want"),
    (HAVE, WANT | {"site_id": "S1"}, "two different sites"),
])
def test_bad_pairs_are_refused(have: dict[str, object], want: dict[str, object],
                                match: str) -> None:
    """Want to want, have to have, and a site with itself are refused with the rule."""
    with pytest.raises(SynergyError, match=match):
        create_synergy(empty_book(), have=have, want=want, practitioner="Aino")


def test_quantity_above_the_have_is_refused() -> None:
    """An agreed quantity larger than the have's is refused."""
    with pytest.raises(SynergyError, match="exceeds the have's quantity"):
        create_synergy(empty_book(), have=HAVE, want=WANT, practitioner="Aino", quantity=150)


def test_same_pair_twice_is_refused_until_abandoned() -> None:
    """A live synergy of the same pair blocks a duplicate; an abandoned one does not."""
    book, sid = _new()
    with pytest.raises(SynergyError, match="already tracked"):
        create_synergy(book, have=HAVE, want=WANT, practitioner="Eero")
    book = change_stage(book, sid, "abandoned", expected_version=1, practitioner="Aino",
                        reason="price")
    book, sid2 = create_synergy(book, have=HAVE, want=WANT, practitioner="Eero")
    assert sid2 != sid


def test_stale_version_is_refused_with_who_and_when() -> None:
    """Two practitioners edit version 1: the second save is refused and names the first."""
    book, sid = _new()
    book = change_stage(book, sid, "identified", expected_version=1, practitioner="Aino")
    with pytest.raises(SynergyError, match=r"changed by Aino .* version 1, it is now version 2"):
        add_note(book, sid, "call booked", expected_version=1, practitioner="Eero")


def test_notes_reassignment_and_case_study() -> None:
    """Notes and hand-overs are logged; a case study is accepted on completed synergies only."""
    book, sid = _new()
    book = add_note(book, sid, "site visit done", expected_version=1, practitioner="Aino")
    book = assign(book, sid, "Eero", expected_version=2, practitioner="Aino")
    assert book.get(sid)["practitioner"] == "Eero"
    with pytest.raises(SynergyError, match="completed"):
        attach_case_study(book, sid, "https://x.org", expected_version=3, practitioner="Eero")
    book = change_stage(book, sid, "completed", expected_version=3, practitioner="Eero")
    book = attach_case_study(book, sid, "https://x.org/case", expected_version=4,
                             practitioner="Eero")
    assert history(book, sid)["kind"].tolist() == ["created", "note", "assigned", "stage",
                                                   "case study"]


def test_refusals_are_in_the_session_language_with_figures_filled() -> None:
    """A refusal raised in the pseudo-locale is one bracketed sentence, its figures and ids
    filled; in Portuguese the quantities take the decimal comma."""
    with use_locale("qps_PLOC"), pytest.raises(SynergyError) as err:
        create_synergy(empty_book(), have=HAVE, want=WANT, practitioner="Aino",
                       quantity=150.5)
    text = str(err.value)
    assert text.startswith("⟦") and text.endswith("⟧")
    assert "150.5" in text and "'H1'" in text and "{" not in text
    with use_locale("pt_BR"), pytest.raises(SynergyError, match="150,5"):
        create_synergy(empty_book(), have=HAVE, want=WANT, practitioner="Aino",
                       quantity=150.5)
