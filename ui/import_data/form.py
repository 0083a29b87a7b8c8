"""The Import page's form: the programme to import into, where the records come from, the
file, and the import itself (validated, stored in one transaction, the upload's copy kept only
when something landed)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import streamlit as st

from geo.i18n import N_, _
from geo.importer import import_file, worker
from geo.programme import PROVENANCES
from geo.uploads import TABLE_KINDS, UploadLimits, check_upload, discard_upload, save_upload
from ui import runs
from ui.access import (
    grant_creator,
    may_create_programme,
    refuse,
    require_import_target,
    writable_programmes,
)
from ui.state import Key
from ui.widgets import domain_errors

if TYPE_CHECKING:
    from ui.context import PageContext

__all__ = ["ImportChoice", "choose_import", "run_import"]

# The *Into programme* choice that creates a programme (a code, never a programme name).
NEW_PROGRAMME = "__new__"
# Display label of each provenance code (translated with `_` where shown).
# Translators: where imported records come from (the provenance kept with each record).
PROVENANCE_LABELS = {
    "workshop": N_("workshop"), "site visit": N_("site visit"), "survey": N_("survey"),
    "public register": N_("public register"), "import file": N_("import file"),
    "demo generator": N_("demo generator"), "manual entry": N_("manual entry"),
}


def provenance_label(code: str) -> str:
    """A provenance code as people read it."""
    label = PROVENANCE_LABELS.get(code)
    return _(label) if label else code


@dataclass(frozen=True)
class ImportChoice:
    """What the form says to import, and where.

    Attributes
    ----------
    name : str
        The programme to import into (new or stored).
    provenance : str
        Where the records come from (one of :data:`geo.programme.PROVENANCES`).
    upload : UploadedFile or None
        The member list, once one is chosen.
    writable : list of str
        The stored programmes this person may write to.
    """

    name: str
    provenance: str
    upload: Any
    writable: list[str]


def choose_import(ctx: PageContext) -> ImportChoice:
    """The form's fields (refusing the page to someone who may write nowhere)."""
    writable = writable_programmes(ctx)
    new_choice = [NEW_PROGRAMME] if may_create_programme(ctx) else []
    if not writable and not new_choice:
        refuse(_("No programme to import into"),
               _("You may not write to any stored programme; ask its administrator."))
    c1, c2 = st.columns(2)
    target = c1.selectbox(_("Into programme"), [*writable, *new_choice], key="imp_target",
                          format_func=lambda n: "＋ " + _("new programme") if n == NEW_PROGRAMME
                          else n)
    new_name = c2.text_input(_("New programme name"), value=_("My programme"),
                             key=Key.IMP_NEW_NAME, disabled=target != NEW_PROGRAMME)
    name = new_name.strip() if target == NEW_PROGRAMME else target
    # the import workers (where configured) start while the file is chosen, ready for it
    worker.start(ctx.settings.import_processes)
    provenance = c1.selectbox(_("Where the records come from"), PROVENANCES, key="imp_provenance",
                              index=PROVENANCES.index("import file"), format_func=provenance_label)
    upload = st.file_uploader(_("Member list"), type=["csv", "xlsx", "txt"], key=Key.IMP_FILE)
    return ImportChoice(name, provenance, upload, writable)


def run_import(ctx: PageContext, choice: ImportChoice) -> None:
    """The import button; pressed, the file is checked, imported and its report kept in the
    session for :func:`ui.import_data.results.show_report`."""
    upload, name, provenance = choice.upload, choice.name, choice.provenance
    if upload is None or not st.button(_("Validate and import"), type="primary",
                                       key=Key.IMP_GO):
        return
    data = upload.getvalue()
    with domain_errors(), st.spinner(_("Validating…")):
        store = ctx.store  # the database down: said in words, like every fault below
        require_import_target(ctx, name)
        check_upload(data, name=upload.name, accept=TABLE_KINDS,
                     limits=UploadLimits.from_megabytes(ctx.settings.max_upload_mb))
        path = save_upload(data, name=upload.name,
                           root=Path(ctx.settings.data_dir) / "uploads")
        created = name not in store.programme_names()
        try:
            if workers := ctx.settings.import_processes:  # configured: off the app's process
                report, prepared = worker.import_and_prepare(
                    path, database_url=ctx.settings.database_url, programme=name,
                    provenance=provenance, workers=workers)
                if prepared is not None:  # the viewers' release at the new version, built
                    runs.offer_release(ctx.settings.database_url, prepared)
            else:
                report = import_file(path, store=store, programme=name, provenance=provenance)
        except BaseException:  # nothing landed: keep no copy of the file either
            discard_upload(path)
            raise
        if created:
            grant_creator(ctx, name)
        if report.imported or report.sites_added:  # every reader needs them at the new version
            runs.warm_after_write(name, ctx.settings)
    st.session_state["imp_report"] = report
    if created:  # run again with the new programme in the sidebar, picked (the report stays)
        st.session_state[Key.SWITCH_PROGRAMME] = name
        st.rerun()
