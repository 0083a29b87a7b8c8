"""Domain errors: each message says what was expected, what was found, and how to fix it.

Pages catch :class:`SymbiosisError` (and only that) and show its message; anything else is a bug.
"""

from __future__ import annotations

__all__ = [
    "AccessError",
    "CRSError",
    "CatalogueError",
    "ConfidentialityError",
    "GeocodingError",
    "ImportFileError",
    "ImportRowError",
    "NetworkError",
    "OfflineError",
    "RoutingError",
    "SitingError",
    "StoreError",
    "SymbioMapWarning",
    "SymbiosisError",
    "SynergyError",
    "UploadError",
]


class SymbiosisError(ValueError):
    """Base class of every error a user can act on."""


class CatalogueError(SymbiosisError):
    """A waste code or catalogue file is not valid."""


class CRSError(SymbiosisError):
    """A GeoDataFrame has no CRS, or a CRS that does not fit the operation."""


class ImportFileError(SymbiosisError):
    """A whole import file could not be read (empty, not a table, unknown encoding)."""


class ImportRowError(SymbiosisError):
    """One row of an import failed validation (carried in reports, rarely raised)."""


class GeocodingError(SymbiosisError):
    """A geocoder could not be used (bad configuration, not a single record)."""


class OfflineError(SymbiosisError):
    """An online feature was asked for but the network cannot be reached or is switched off."""


class NetworkError(SymbiosisError):
    """A road network could not be loaded, or points could not be placed on it."""


class RoutingError(SymbiosisError):
    """A milk round cannot be planned as asked (no producers, zero vehicles, oversize pickup)."""


class SitingError(SymbiosisError):
    """A technology profile or a site-scoring request is not valid."""


class SynergyError(SymbiosisError):
    """A synergy, stage change or outcome breaks a rule of the programme model."""


class StoreError(SymbiosisError):
    """The programme database cannot be opened, migrated or written."""


class AccessError(SymbiosisError):
    """The signed-in person may not open this page, see these data or make this change."""


class UploadError(SymbiosisError):
    """An uploaded file was refused: wrong kind, too large, or not safe to open."""


class ConfidentialityError(SymbiosisError):
    """A view or export would reveal a single company's figures to a viewer who may not see them."""


class SymbioMapWarning(UserWarning):
    """A result was produced but the user should know something about it."""
