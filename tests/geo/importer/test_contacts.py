"""Contacts in an import file are stored with their site, once."""

from __future__ import annotations

from pathlib import Path

from geo.importer import import_file
from geo.importer.contacts import contact_headers
from geo.store import open_store

CSV = ("Company,Country,lon,lat,Have/Want,EWC code,Quantity,Unit,Contact person,Role,E-mail,Phone\n"
       "Aalto Metals Oy,FI,26.95,60.52,have,120101,40,t/yr,Aino Virtanen,Env. manager,"
       "aino@example.fi,+358 5 123\n"
       "Aalto Metals Oy,FI,26.95,60.52,have,120103,5,t/yr,Aino Virtanen,Env. manager,"
       "aino@example.fi,+358 5 123\n"
       "Baltic Timber Oy,FI,26.94,60.53,have,030105,300,t/yr,,,,\n"
       "Bad Code Oy,FI,26.94,60.53,have,999999,3,t/yr,Eero Laine,,eero@example.fi,\n")


def test_contacts_are_stored_once_per_person_and_site(tmp_path: Path) -> None:
    """Two rows naming the same person give one contact; a row without one gives none;
    a rejected row's contact is not stored; re-importing adds nobody."""
    f = tmp_path / "members.csv"
    f.write_text(CSV, encoding="utf-8")
    store = open_store(f"sqlite:///{tmp_path / 'c.db'}")
    report = import_file(f, store=store, programme="Contacts test")
    assert report.contacts_added == 1
    assert "E-mail" not in report.extra_columns and "Phone" not in report.extra_columns
    prog = store.load_programme("Contacts test")
    contacts = prog.contacts
    assert len(contacts) == 1
    row = contacts.iloc[0]
    assert (row["name"], row["role"], row["email"]) == ("Aino Virtanen", "Env. manager",
                                                        "aino@example.fi")
    site = prog.sites.set_index("site_id").loc[row["site_id"]]
    assert site["name"] == "Aalto Metals Oy"
    again = import_file(f, store=store, programme="Contacts test")
    assert again.contacts_added == 0
    assert len(store.load_programme("Contacts test").contacts) == 1


def test_contact_headers_in_several_languages() -> None:
    """Portuguese and Chinese contact headers are recognised."""
    assert contact_headers(["Empresa", "Contato", "Telefone", "邮箱"]) == {
        "name": "Contato", "phone": "Telefone", "email": "邮箱"}
