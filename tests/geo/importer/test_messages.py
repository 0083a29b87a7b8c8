"""Tests of geo.importer.messages and the importer's texts in the session's language."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.catalogue import Catalogue, load_catalogue
from geo.errors import ImportFileError
from geo.i18n import use_locale
from geo.importer import import_file, read_table
from geo.importer.messages import MESSAGES, message_for


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    """The European Waste Catalogue shipped in data/catalogue (read once per module)."""
    return load_catalogue()


BAD_CSV = """\
Company,Have/Want,EWC code,Quantity,Unit,Frequency
Acme Oy,have,15 01 02,-4,t/yr,hourly
Beta Oy,have,999999,3,t/yr,weekly
"""


@pytest.mark.parametrize("check", list(MESSAGES))
def test_every_reason_is_one_sentence_with_its_placeholders_filled(check: str) -> None:
    """Each reason translates as one string and comes out with no placeholder left."""
    context = {"lon": "91", "lat": "120", "quantity": "5"}
    with use_locale("qps_PLOC"):
        text = message_for(check, value="x", header="H", context=context)
    assert text.startswith("⟦") and text.endswith("⟧")
    assert "{" not in text


def test_rejected_rows_are_explained_in_the_session_language(
        tmp_path: Path, catalogue: Catalogue) -> None:
    """Each bad cell's reason, and the rejects file's ``_errors``, are in the session's
    language with the value, the codes to use and the column as headed in the file."""
    path = tmp_path / "m.csv"
    path.write_text(BAD_CSV, encoding="utf-8")
    with use_locale("qps_PLOC"):
        report = import_file(path, store=None, programme="P", catalogue=catalogue)
    by_field = {(e["row"], e["field"]): e["message"] for e in report.errors}
    negative = "⟦qüàñtîtý -4 îs ñégàtîvé; à qüàñtîtý pér ýéàr îs 0 õr mõré⟧"
    assert by_field[(2, "quantity")] == negative
    frequency = by_field[(2, "frequency")]
    assert "'hourly'" in frequency and "weekly, fortnightly" in frequency  # codes, as read
    assert "'999999'" in by_field[(3, "ewc_code")] and by_field[(3, "ewc_code")].startswith("⟦")
    errors = report.rejects.set_index("_row")["_errors"]
    assert errors[2].startswith("⟦Quantity: " + negative + "⟧")  # the file's header as written


def test_a_file_that_is_not_a_table_is_named_in_the_session_language(tmp_path: Path) -> None:
    """A PNG is refused with one translated sentence naming it, and what is expected."""
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 20)
    with use_locale("qps_PLOC"), pytest.raises(ImportFileError) as err:
        read_table(path)
    assert str(err.value).startswith("⟦'photo.csv' îs à PÑG îmàgé, ñõt à tàblé.⟧ ⟦Éxpéçtéd")
    with pytest.raises(ImportFileError, match=r"'photo.csv' is a PNG image, not a table\. Exp"):
        read_table(path)
