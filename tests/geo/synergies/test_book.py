"""Tests of geo.synergies.book: the SynergyBook schema and the primitives every change uses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pandas as pd
import pytest

from geo.errors import SynergyError
from geo.synergies.book import (
    EVENT_COLUMNS,
    OUTCOME_COLUMNS,
    SYNERGY_COLUMNS,
    SynergyBook,
    append_rows,
    empty_book,
    event_row,
    record_change,
    utc_timestamp,
)
from geo.synergies.lifecycle import create_synergy

HAVE = {"resource_id": "H1", "site_id": "S1", "direction": "have", "quantity": 10.0,
        "unit": "t/yr"}
WANT = {"resource_id": "W1", "site_id": "S2", "direction": "want", "quantity": 4.0,
        "unit": "t/yr"}
AT = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)


def _one() -> tuple[SynergyBook, str]:
    return create_synergy(empty_book(), have=HAVE, want=WANT, practitioner="Aino", at=AT)


def test_empty_book_has_every_column_and_a_first_id() -> None:
    """An empty book holds the three frames with their columns and offers SYN-00001."""
    book = empty_book()
    assert list(book.synergies.columns) == SYNERGY_COLUMNS
    assert list(book.events.columns) == EVENT_COLUMNS
    assert list(book.outcomes.columns) == OUTCOME_COLUMNS
    assert book.next_id() == "SYN-00001"


def test_a_frame_without_the_schema_is_refused() -> None:
    """A book whose synergies frame lacks columns is refused, naming them."""
    with pytest.raises(SynergyError, match=r"lacks columns \['synergy_id'"):
        SynergyBook(pd.DataFrame(), empty_book().events, empty_book().outcomes)


def test_get_and_next_id() -> None:
    """get returns a synergy's row, refuses an unknown id with the known ones, and next_id
    counts on from the highest number."""
    book, sid = _one()
    assert book.get(sid)["want_resource_id"] == "W1"
    with pytest.raises(SynergyError, match=r"No synergy with id 'SYN-9'.*SYN-00001"):
        book.get("SYN-9")
    assert book.next_id() == "SYN-00002"


@pytest.mark.parametrize(
    ("at", "expected"),
    [(datetime(2026, 1, 5, 12, 0), "2026-01-05 12:00:00+00:00"),
     (datetime(2026, 1, 5, 14, 0, tzinfo=timezone(timedelta(hours=2))),
      "2026-01-05 12:00:00+00:00")],
)
def test_utc_timestamp(at: datetime, expected: str) -> None:
    """A naive time is taken as UTC; an aware one is converted to UTC."""
    assert str(utc_timestamp(at)) == expected


def test_utc_timestamp_defaults_to_now() -> None:
    """Without a time the stamp is the current UTC time."""
    before = pd.Timestamp.now(tz="UTC")
    assert before <= utc_timestamp(None) <= pd.Timestamp.now(tz="UTC")


def test_append_rows_keeps_the_old_rows_and_renumbers() -> None:
    """Rows are appended in order under the given columns; the index runs 0..n-1."""
    first = append_rows(pd.DataFrame(columns=["a", "b"]), [{"a": 1, "b": 2}], ["a", "b"])
    both = append_rows(first, [{"b": 4, "a": 3}], ["a", "b"])
    assert both.to_dict("records") == [{"a": 1, "b": 2}, {"a": 3, "b": 4}]
    assert both.index.tolist() == [0, 1]


def test_event_rows_are_numbered_after_the_book() -> None:
    """An event is numbered after the book's events, plus the rows already prepared."""
    book, sid = _one()
    ts = utc_timestamp(AT)
    row = event_row(book, sid, ts, "note", practitioner="Eero", version=2, note="hi", offset=2)
    assert list(row) == EVENT_COLUMNS
    assert (row["event_id"], row["kind"], row["from_stage"]) == (4, "note", None)


def test_record_change_raises_the_version_and_logs_an_event() -> None:
    """A change sets the fields, the version, who and when, and appends one event."""
    book, sid = _one()
    later = AT + timedelta(days=1)
    new = record_change(book, sid, {"practitioner": "Eero"}, kind="assigned",
                        practitioner="Aino", expected_version=1, at=later, note="handover")
    row = new.get(sid)
    assert (row["practitioner"], row["version"], row["updated_by"]) == ("Eero", 2, "Aino")
    assert row["updated_at"] == utc_timestamp(later)
    assert new.events["kind"].tolist() == ["created", "assigned"]
    assert book.get(sid)["version"] == 1  # the old book is unchanged


def test_record_change_refuses_a_stale_version_and_a_nameless_change() -> None:
    """A change on an old version says who changed it; a change needs a practitioner."""
    book, sid = _one()
    with pytest.raises(SynergyError, match="changed by Aino at 2026-01-05 09:30 UTC"):
        record_change(book, sid, {}, kind="note", practitioner="Eero", expected_version=7,
                      at=AT)
    with pytest.raises(SynergyError, match="names the practitioner"):
        record_change(book, sid, {}, kind="note", practitioner=" ", expected_version=1, at=AT)
