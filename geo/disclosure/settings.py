"""Which disclosure rules a programme applies: the installation's defaults, or its own.

The defaults come from the settings (``SYMBIOMAP_K``, ``SYMBIOMAP_P``) and may not go below
the floors (:data:`~geo.disclosure.rules.MIN_K`, :data:`~geo.disclosure.rules.MIN_P_PERCENT`).
A programme administrator may set a programme's own rules (``python -m geo disclosure set``,
or the *Users* page) — below the floors only as an administrator, and every change is written
to the audit log.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import delete, insert, select

from geo.access.users import audit
from geo.disclosure.rules import DisclosureRules
from geo.errors import ConfidentialityError
from geo.i18n import _
from geo.store.disclosure_tables import DisclosureRulesRow

if TYPE_CHECKING:
    from geo.settings import Settings
    from geo.store import Store

__all__ = ["default_rules", "programme_rules", "rules_in_force", "set_programme_rules"]


def default_rules(settings: Settings) -> DisclosureRules:
    """The installation's default rules.

    Raises
    ------
    ConfidentialityError
        When ``SYMBIOMAP_K``/``SYMBIOMAP_P`` would go below the floors (the message says how
        an administrator may set weaker rules for one programme).
    """
    try:
        return DisclosureRules(k=settings.k_anonymity, p_percent=settings.dominance_p)
    except ConfidentialityError as exc:
        msg = str(exc) + " " + _("SYMBIOMAP_K/SYMBIOMAP_P cannot do this; an administrator may "
                                 "set one programme's rules with: python -m geo disclosure set "
                                 "--k K --p P --programme NAME --administrator")
        raise ConfidentialityError(msg) from None


def programme_rules(store: Store, programme: str, *, default: DisclosureRules
                    ) -> DisclosureRules:
    """The rules ``programme`` applies (its own where set, else ``default``)."""
    with store.read(_("read the disclosure rules"), one_statement=True) as conn:
        row = conn.execute(select(DisclosureRulesRow.k, DisclosureRulesRow.p_percent,
                                  DisclosureRulesRow.by_administrator)
                           .where(DisclosureRulesRow.programme == programme)).first()
    if row is None:
        return default
    return DisclosureRules(k=int(row.k), p_percent=float(row.p_percent),
                           by_administrator=bool(row.by_administrator))


def rules_in_force(store: Store, programme: str, settings: Settings) -> DisclosureRules:
    """The rules the stored ``programme`` applies under ``settings``: its own where set, else
    the installation's (:func:`default_rules`). The pages, the warm-up after a write and the
    import worker all take them from here, so a release one of them builds is the release
    the others look for (its rules are part of its key)."""
    return programme_rules(store, programme, default=default_rules(settings))


def set_programme_rules(store: Store, programme: str, *, k: int, p_percent: float,
                        actor: str, administrator: bool) -> DisclosureRules:
    """Set a programme's rules (audited). Below the floors only with ``administrator=True``.

    Raises
    ------
    ConfidentialityError
        For rules below the floors set by someone who is not an administrator.
    """
    rules = DisclosureRules(k=k, p_percent=p_percent, by_administrator=administrator)
    with store.transaction(_("set the disclosure rules")) as conn:
        conn.execute(delete(DisclosureRulesRow).where(DisclosureRulesRow.programme == programme))
        conn.execute(insert(DisclosureRulesRow).values(
            programme=programme, k=rules.k, p_percent=rules.p_percent,
            by_administrator=administrator, set_by=actor, set_at=dt.datetime.now(dt.UTC)))
        audit(conn, actor=actor, action="disclosure_rules", programme=programme, k=rules.k,
              p_percent=rules.p_percent, administrator=administrator)
    return rules
