"""Contacts in an import file: the people at each member site (personal data).

A member list often carries a contact person per row. Contact columns are read with their own
aliases, for rows that passed validation, and stored under the row's site; the same person
(site, name, e-mail) is stored once however often the file is imported. Contacts are shown only
to practitioners (:mod:`geo.confidentiality`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Final

import pandas as pd

from geo.importer.values import fold
from geo.programme import CONTACT_COLUMNS

__all__ = ["CONTACT_ALIASES", "contact_headers", "contacts_from_rows"]

CONTACT_ALIASES: Final[dict[str, tuple[str, ...]]] = {
    "name": ("contact", "contact name", "contact person", "person", "responsible",
             "contato", "nome do contato", "contacto", "persona de contacto", "yhteyshenkilo",
             "联系人", "联系人姓名"),
    "role": ("contact role", "role", "job title", "position", "title", "cargo", "funcao",
             "puesto", "tehtava", "职务", "职位"),
    "email": ("email", "e mail", "contact email", "email address", "correio eletronico",
              "correo", "correo electronico", "sahkoposti", "邮箱", "电子邮件", "电子邮箱"),
    "phone": ("phone", "telephone", "tel", "mobile", "contact phone", "phone number",
              "telefone", "telefono", "puhelin", "电话", "联系电话", "手机"),
}
_LOOKUP: Final = {fold(a): f for f, aliases in CONTACT_ALIASES.items() for a in aliases}


def contact_headers(headers: Sequence[str]) -> dict[str, str]:
    """Contact field → the file's header, for headers that name contact columns.

    Examples
    --------
    >>> contact_headers(["Company", "Contact person", "E-mail", "Notes"])
    {'name': 'Contact person', 'email': 'E-mail'}
    """
    found: dict[str, str] = {}
    for h in headers:
        f = _LOOKUP.get(fold(str(h)))
        if f is not None and f not in found:
            found[f] = str(h)
    return found


def contacts_from_rows(frame: pd.DataFrame, site_id: pd.Series,
                       headers: dict[str, str]) -> pd.DataFrame:
    """One contact per distinct (site, name, e-mail) among ``frame``'s rows.

    Parameters
    ----------
    frame : DataFrame
        The rows as read (text), indexed like ``site_id``.
    site_id : Series
        The site each row was stored under.
    headers : dict
        From :func:`contact_headers`.

    Returns
    -------
    DataFrame
        :data:`geo.programme.CONTACT_COLUMNS`; ``contact_id`` is a deterministic key, so a
        re-import finds the same people. Rows with no name, e-mail or phone give no contact.
    """
    if not headers or site_id.empty:
        return pd.DataFrame(columns=CONTACT_COLUMNS)
    rows = frame.loc[site_id.index]
    out = pd.DataFrame({"site_id": site_id.astype(str)}, index=site_id.index)
    for f in ("name", "role", "email", "phone"):
        col = headers.get(f)
        values = rows[col].astype("string").str.strip() if col else pd.Series(pd.NA,
                                                                                 index=rows.index)
        out[f] = values.where(values.notna() & (values != ""), None)
    out = out[out[["name", "email", "phone"]].notna().any(axis=1)]
    if out.empty:
        return pd.DataFrame(columns=CONTACT_COLUMNS)
    key_text = (out["site_id"] + "|" + out["name"].fillna("").map(fold) + "|"
                + out["email"].fillna("").str.lower())
    out["contact_id"] = ["C-" + hashlib.sha256(k.encode("utf-8")).hexdigest()[:16]
                         for k in key_text]
    return out.drop_duplicates("contact_id")[list(CONTACT_COLUMNS)].reset_index(drop=True)
