"""The Import page's parts, drawn from ``pages/import_data.py``: the form and the import
(:mod:`~ui.import_data.form`), the report and the stored rejects
(:mod:`~ui.import_data.results`)."""

from ui.import_data.form import ImportChoice, choose_import, run_import
from ui.import_data.results import show_report, show_stored

__all__ = ["ImportChoice", "choose_import", "run_import", "show_report", "show_stored"]
