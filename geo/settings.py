"""All environment-dependent settings of SymbioMap, in one place.

Every setting has a documented default that works offline on a fresh clone, and can be
overridden by an environment variable ``SYMBIOMAP_<NAME>`` (upper case), for example::

    SYMBIOMAP_DATABASE_URL=postgresql+psycopg://user@host/symbiomap streamlit run app.py
    SYMBIOMAP_TILE_URL="https://tiles.example.cn/{z}/{x}/{y}.png" streamlit run app.py
    SYMBIOMAP_NOMINATIM=1 SYMBIOMAP_USER_AGENT="my-programme/1.0 (me@example.org)" ...

``get_settings()`` reads the environment once per call; pass a :class:`Settings` explicitly
to functions that need one in tests (``Settings(data_dir=tmp_path)``), never mutate globals.

Settings
--------
data_dir : Path
    Where the SQLite database, caches and rejects files live (``SYMBIOMAP_DATA_DIR``,
    default ``~/.symbiomap``).
database_url : str
    Any SQLAlchemy URL (``SYMBIOMAP_DATABASE_URL``); default an SQLite file in ``data_dir``.
catalogue_path : Path
    The waste catalogue in use (``SYMBIOMAP_CATALOGUE``); default the European Waste
    Catalogue shipped in ``data/catalogue/ewc.csv``. Another catalogue (e.g. China's
    National Hazardous Waste List) can be loaded from a file of the same shape.
tile_url : str
    XYZ tile URL for base maps (``SYMBIOMAP_TILE_URL``). Empty (the default) means the
    offline vector base map drawn from the region's own OSM roads and land use; users in
    China set their own tile server here.
tile_attribution : str
    Attribution for ``tile_url`` (``SYMBIOMAP_TILE_ATTRIBUTION``).
nominatim : bool
    Whether the online Nominatim geocoder may be called (``SYMBIOMAP_NOMINATIM``, default off:
    nothing leaves the machine unless the user turns an online feature on).
online_osm : bool
    Whether OSM data may be downloaded with osmnx (``SYMBIOMAP_ONLINE_OSM``, default off).
user_agent : str
    Identifying user agent for Nominatim and OSM requests (``SYMBIOMAP_USER_AGENT``).
timeout_s : float
    Timeout of every network request in seconds (``SYMBIOMAP_TIMEOUT_S``, default 10).
k_anonymity : int
    The disclosure rules' default minimum contributors: figures over fewer than ``k``
    producers are withheld from viewers who may not see individual companies (``SYMBIOMAP_K``,
    default 3; below 3 is refused — an administrator may set it per programme, audited).
dominance_p : float
    The default dominance (p %) rule: a figure is withheld where the second-largest producer
    could estimate the largest within ``p`` % (``SYMBIOMAP_P``, default 15; below 10 refused
    likewise). See :mod:`geo.disclosure`.
mode : str
    ``desktop`` (the default: one local user who is a practitioner, the app listening on
    localhost only, no set-up) or ``server`` (``SYMBIOMAP_MODE=server``: sign-in with OpenID
    Connect required for everything, roles and grants read from the database on every rerun,
    Streamlit's error details hidden). The identity provider is configured in Streamlit's
    standard ``[auth]`` section of ``.streamlit/secrets.toml``; see ``docs/deployment.md``.
session_max_age_h : float
    Server mode: a sign-in older than this many hours must be renewed
    (``SYMBIOMAP_SESSION_MAX_AGE_H``, default 12). Streamlit's own cookie lives 30 days.
demo : bool
    Whether the embedded Karhula demo programme is offered (``SYMBIOMAP_DEMO``, default on). On a
    server, people see it only when granted a role in it, like any programme.
max_upload_mb : float
    Largest file accepted from an upload, before and after decompression
    (``SYMBIOMAP_MAX_UPLOAD_MB``, default 200).
import_workers : int
    How many separate worker processes run the app's imports (``SYMBIOMAP_IMPORT_WORKERS``,
    default 0: imports run in the app's own process). On a server with a spare core whose
    practitioners import large files while others read, 1 keeps an import's validation and
    the release built after it off the interpreter lock that every session's rerun needs, for
    ~250–430 MB more memory; see :mod:`geo.importer.worker` and ``docs/operations.md``. An
    in-memory SQLite database always imports in the app's process.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

__all__ = ["DATA_DIR", "PROJECT_ROOT", "Role", "Settings", "get_settings"]

PROJECT_ROOT = Path(__file__).resolve().parent.parent
"""The repository root (``app.py`` lives here)."""

DATA_DIR = PROJECT_ROOT / "data"
"""Embedded data shipped with the code: catalogues, factors, technology profiles."""

Role = Literal["practitioner", "viewer"]
ROLES: tuple[Role, ...] = ("practitioner", "viewer")
Mode = Literal["desktop", "server"]
MODES: tuple[Mode, ...] = ("desktop", "server")

OSM_ATTRIBUTION = "© OpenStreetMap contributors (ODbL 1.0)"


def _env(name: str, default: str) -> str:
    return os.environ.get(f"SYMBIOMAP_{name}", default)


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(f"SYMBIOMAP_{name}")
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    """Resolved settings; see the module docstring for each field and its variable."""

    data_dir: Path = field(default_factory=lambda: Path.home() / ".symbiomap")
    database_url: str = ""
    catalogue_path: Path = DATA_DIR / "catalogue" / "ewc.csv"
    tile_url: str = ""
    tile_attribution: str = ""
    nominatim: bool = False
    online_osm: bool = False
    user_agent: str = "SymbioMap/0.1 (+https://github.com/symbiomap/symbiomap)"
    timeout_s: float = 10.0
    k_anonymity: int = 3
    dominance_p: float = 15.0
    role: Role = "practitioner"
    mode: Mode = "desktop"
    session_max_age_h: float = 12.0
    demo: bool = True
    max_upload_mb: float = 200.0
    import_workers: int = 0

    def __post_init__(self) -> None:
        if self.k_anonymity < 1:
            msg = f"k_anonymity must be at least 1, got {self.k_anonymity!r}; set SYMBIOMAP_K=3."
            raise ValueError(msg)
        if self.timeout_s <= 0:
            msg = f"timeout_s must be positive, got {self.timeout_s!r}."
            raise ValueError(msg)
        if self.mode not in MODES:
            msg = f"mode must be one of {MODES}, got {self.mode!r}; set SYMBIOMAP_MODE=server."
            raise ValueError(msg)
        if self.session_max_age_h <= 0:
            msg = f"session_max_age_h must be positive, got {self.session_max_age_h!r}."
            raise ValueError(msg)
        if self.max_upload_mb <= 0:
            msg = f"max_upload_mb must be positive, got {self.max_upload_mb!r}."
            raise ValueError(msg)
        if self.import_workers < 0:
            msg = (f"import_workers must be 0 or more, got {self.import_workers!r}; set "
                   "SYMBIOMAP_IMPORT_WORKERS=0 to import in the app's process.")
            raise ValueError(msg)
        if not self.database_url:
            object.__setattr__(
                self, "database_url", f"sqlite:///{Path(self.data_dir) / 'symbiomap.db'}"
            )

    @property
    def server(self) -> bool:
        """Whether the app runs in server mode (sign-in required)."""
        return self.mode == "server"

    @property
    def import_processes(self) -> int:
        """Worker processes for the app's imports: ``import_workers``, but 0 for an in-memory
        SQLite database, which another process cannot open."""
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        from geo.store.engine import in_memory_sqlite

        try:
            url = make_url(self.database_url)
        except ArgumentError:  # opening the store reports it; nothing to run elsewhere
            return 0
        if url.get_backend_name() == "sqlite" and in_memory_sqlite(url.database or ""):
            return 0
        return self.import_workers

    @property
    def cache_dir(self) -> Path:
        """Directory for on-disk caches of network results (geocodes, OSM downloads)."""
        return Path(self.data_dir) / "cache"

    def with_(self, **changes: object) -> Settings:
        """Return a copy with some fields changed (the database URL is re-derived if unset)."""
        if "data_dir" in changes and "database_url" not in changes:
            changes["database_url"] = ""
        return replace(self, **changes)  # type: ignore[arg-type]


def get_settings() -> Settings:
    """Read the settings from the environment (``SYMBIOMAP_*``) over the defaults."""
    defaults = Settings.__dataclass_fields__
    data_dir = Path(_env("DATA_DIR", str(Path.home() / ".symbiomap"))).expanduser()
    return Settings(
        data_dir=data_dir,
        database_url=_env("DATABASE_URL", ""),
        catalogue_path=Path(_env("CATALOGUE", str(defaults["catalogue_path"].default))),
        tile_url=_env("TILE_URL", ""),
        tile_attribution=_env("TILE_ATTRIBUTION", ""),
        nominatim=_env_bool("NOMINATIM", False),
        online_osm=_env_bool("ONLINE_OSM", False),
        user_agent=_env("USER_AGENT", str(defaults["user_agent"].default)),
        timeout_s=float(_env("TIMEOUT_S", "10")),
        k_anonymity=int(_env("K", "3")),
        dominance_p=float(_env("P", "15")),
        role=_env("ROLE", "practitioner"),  # type: ignore[arg-type]
        mode=_env("MODE", "desktop").strip().lower(),  # type: ignore[arg-type]  # checked
        session_max_age_h=float(_env("SESSION_MAX_AGE_H", "12")),
        demo=_env_bool("DEMO", True),
        max_upload_mb=float(_env("MAX_UPLOAD_MB", "200")),
        import_workers=int(_env("IMPORT_WORKERS", "0").strip() or "0"),
    )
