"""Tests of the k-producer confidentiality rule."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geo.confidentiality import can_see_companies, redact_companies, suppress_small_groups
from geo.errors import ConfidentialityError


def test_cells_under_k_producers_lose_every_figure() -> None:
    """A 2-producer cell shows neither its tonnes nor its producer count at k=3."""
    df = pd.DataFrame({"cell": ["a", "b", "c"], "producers": [3, 2, 1],
                       "tonnes": [30.0, 20.0, 10.0], "records": [4, 2, 1]})
    out = suppress_small_groups(df, producers_col="producers", k=3)
    assert out["suppressed"].tolist() == [False, True, True]
    assert out.loc[0, "tonnes"] == 30.0
    assert np.isnan(out.loc[1, ["tonnes", "records", "producers"]].astype(float)).all()
    assert out["cell"].tolist() == ["a", "b", "c"]  # rows kept, figures blanked


def test_input_frame_is_not_modified() -> None:
    """Suppression returns a copy; the caller's frame keeps its figures."""
    df = pd.DataFrame({"producers": [1], "tonnes": [5.0]})
    suppress_small_groups(df, producers_col="producers", k=3)
    assert df.loc[0, "tonnes"] == 5.0


def test_k_below_one_and_missing_column_are_refused() -> None:
    """Bad k or a missing producer column raise with an actionable message."""
    df = pd.DataFrame({"producers": [1], "tonnes": [5.0]})
    with pytest.raises(ConfidentialityError, match="at least 1"):
        suppress_small_groups(df, producers_col="producers", k=0)
    with pytest.raises(ConfidentialityError, match="producer-count column"):
        suppress_small_groups(df, producers_col="n", k=3)


def test_viewers_lose_company_and_personal_columns() -> None:
    """Viewers see no names, emails or phones; practitioners see the frame unchanged."""
    df = pd.DataFrame({"site_name": ["X"], "email": ["a@b"], "tonnes": [1.0]})
    assert list(redact_companies(df, role="viewer").columns) == ["tonnes"]
    assert redact_companies(df, role="practitioner") is df
    assert can_see_companies("practitioner") and not can_see_companies("viewer")
