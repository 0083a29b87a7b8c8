"""SymbioMap's GIS and analysis logic: no Streamlit here.

Every job of the app is also a command: ``python -m geo --help``.
"""

__version__ = "0.1.0"
