"""The disclosure rules a figure must pass before a viewer may see it.

Statistical disclosure control as national statistical offices practise it for business
data (Hundepool et al., *Statistical Disclosure Control*, Wiley 2012, ch. 4):

- **minimum number of contributors** ``k``: a figure over fewer than ``k`` distinct producers
  (member sites) is sensitive;
- **dominance (p % rule)**: a figure is sensitive when the second-largest contributor could
  estimate the largest one to within ``p`` % — that is, when ``T − x₁ − x₂ < p/100 · x₁``
  for a total ``T`` whose two largest contributions are ``x₁ ≥ x₂``.

Counts (producers, records) are released only with a figure that passes, so they are
protected like totals. The rules are per programme; weakening them below the floors
(:data:`MIN_K`, :data:`MIN_P_PERCENT`) is refused unless an administrator sets them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

from geo.errors import ConfidentialityError
from geo.i18n import _, format_number, ngettext

__all__ = ["DEFAULT_RULES", "MIN_K", "MIN_P_PERCENT", "DisclosureRules"]

MIN_K: Final = 3
"""Fewest contributors a programme may set without an administrator."""
MAX_K: Final = 1000
"""The largest k: a figure from more producers than this is a whole economy's, not a secret."""
MIN_P_PERCENT: Final = 10.0
"""Smallest p of the dominance rule a programme may set without an administrator."""


@dataclass(frozen=True)
class DisclosureRules:
    """Minimum contributors and the p % dominance rule.

    Parameters
    ----------
    k : int
        Minimum distinct producers behind a released figure (≥ 1; below :data:`MIN_K` only
        with ``by_administrator=True``).
    p_percent : float
        The dominance rule's p (≥ 0; below :data:`MIN_P_PERCENT` only with
        ``by_administrator=True``). 15 by default: the second-largest producer's best estimate
        of the largest one is then off by at least 15 %.
    by_administrator : bool
        Set by an administrator, who may go below the floors (the change is audited).

    Examples
    --------
    >>> rules = DisclosureRules()
    >>> rules.passes(np.array([3, 3]), np.array([30.0, 30.0]), np.array([10.0, 28.0]),
    ...              np.array([10.0, 1.0])).tolist()
    [True, False]
    """

    k: int = MIN_K
    p_percent: float = 15.0
    by_administrator: bool = False

    def __post_init__(self) -> None:
        if not (1 <= int(self.k) <= MAX_K) or not np.isfinite(self.p_percent) \
                or not 0 <= self.p_percent <= 100:
            msg = _("Disclosure rules need k from 1 to {max_k} producers and p from 0 to 100 %, "
                    "got k={k!r}, p={p!r}.").format(max_k=MAX_K, k=self.k, p=self.p_percent)
            raise ConfidentialityError(msg)
        if not self.by_administrator and (self.k < MIN_K or self.p_percent < MIN_P_PERCENT):
            msg = _("k={k} and p={p} % would weaken protection below the floors (k ≥ {min_k}, "
                    "p ≥ {min_p} %); only a programme administrator may set them, and the change "
                    "is logged.").format(k=self.k, p=_percent(self.p_percent), min_k=MIN_K,
                                         min_p=_percent(MIN_P_PERCENT))
            raise ConfidentialityError(msg)

    def passes(self, producers: np.ndarray, total: np.ndarray, top1: np.ndarray,
               top2: np.ndarray) -> np.ndarray:
        """Whether each figure may be released (vectorised).

        Parameters
        ----------
        producers : ndarray of int
            Distinct producers behind each figure.
        total : ndarray of float
            The figure (tonnes).
        top1, top2 : ndarray of float
            The largest and second-largest producer contribution (0 where absent).

        Returns
        -------
        ndarray of bool
            An empty figure (no producer) passes: it reveals nothing.
        """
        n = np.asarray(producers)
        t = np.asarray(total, dtype=float)
        x1 = np.asarray(top1, dtype=float)
        x2 = np.asarray(top2, dtype=float)
        rest = t - x1 - x2
        dominance_ok = rest >= self.p_percent / 100.0 * x1 - 1e-9 * np.maximum(t, 1.0)
        return np.asarray((n == 0) | ((n >= self.k) & dominance_ok))

    def describe(self) -> str:
        """One sentence for the page and the docs, in this session's language."""
        return ngettext("a figure is shown only when it comes from at least {k} producer and no "
                        "producer could estimate another's share to within {p} %",
                        "a figure is shown only when it comes from at least {k} producers and "
                        "no producer could estimate another's share to within {p} %",
                        int(self.k)).format(k=format_number(self.k),
                                            p=_percent(self.p_percent))


def _percent(value: float) -> str:
    """A percentage figure as people read it (``15``, ``12,5`` in Portuguese)."""
    return format_number(value, digits=0 if float(value).is_integer() else 1)


DEFAULT_RULES: Final = DisclosureRules()
