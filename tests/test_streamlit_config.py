"""The app's Streamlit settings (``.streamlit/config.toml``), read by ``streamlit run app.py``
from the repository root: the promises they keep are checked here, since nothing else would
notice one going."""

from __future__ import annotations

import tomllib

import pytest

from tests.paths import ROOT


@pytest.fixture(scope="module")
def config() -> dict:
    with (ROOT / ".streamlit" / "config.toml").open("rb") as f:
        return tomllib.load(f)


def test_no_full_garbage_collection_after_every_rerun(config: dict) -> None:
    # Streamlit's default runs gc.collect(2) after each rerun: ~0.2 s holding the interpreter
    # lock with a 100,000-record programme cached, which every other session waited for
    # (benchmarks/server_bench.py: viewers' p95 12-15 s with it, 8.8 s without).
    assert config["runner"]["postScriptGC"] is False


def test_offline_and_local_by_default(config: dict) -> None:
    assert config["browser"]["gatherUsageStats"] is False  # sends nothing anywhere
    assert config["server"]["address"] == "localhost"  # desktop mode: this computer only
    assert config["server"]["enableStaticServing"] is True  # the local Leaflet copies


def test_streamlit_knows_every_option(config: dict) -> None:
    # A misspelt option is ignored by Streamlit with a warning nobody reads.
    from streamlit import config as st_config

    for section, options in config.items():
        if section == "theme":
            continue
        for name in options:
            st_config.get_option(f"{section}.{name}")  # raises for an option it does not know
    with pytest.raises(RuntimeError):
        st_config.get_option("runner.postScriptGc")
