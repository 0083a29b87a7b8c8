"""A thin, array-based bridge to the HiGHS MILP solver (``highspy``) for the siting models.

Models are given as sparse triplets so that building a 100,000-variable model stays a handful
of numpy calls; the solver's own log is switched off (it goes to ``logger`` at DEBUG).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from scipy.sparse import coo_matrix

from geo.errors import SitingError

if TYPE_CHECKING:
    import highspy

__all__ = ["MilpModel", "MilpSolution", "highs_from_model", "solve_milp"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class MilpModel:
    """``min cost·x + offset`` s.t. ``row_lower ≤ A x ≤ row_upper``, bounds, integrality.

    ``rows`` are the triplets (row index, column index, value) of ``A``. Set ``maximise`` to
    maximise instead.
    """

    cost: np.ndarray
    col_lower: np.ndarray
    col_upper: np.ndarray
    integer: np.ndarray
    rows: tuple[np.ndarray, np.ndarray, np.ndarray]
    row_lower: np.ndarray
    row_upper: np.ndarray
    offset: float = 0.0
    maximise: bool = False

    def __post_init__(self) -> None:
        n = len(self.cost)
        for name in ("col_lower", "col_upper", "integer"):
            if len(getattr(self, name)) != n:
                msg = f"MilpModel.{name} must have {n} entries (one per column)."
                raise SitingError(msg)
        if len(self.row_lower) != len(self.row_upper):
            msg = "MilpModel.row_lower and row_upper must have the same length."
            raise SitingError(msg)


@dataclass(frozen=True)
class MilpSolution:
    """Solver outcome: ``x`` (None if no feasible point), objective, proven bound, status."""

    x: np.ndarray | None
    objective: float
    bound: float
    status: str
    optimal: bool


def highs_from_model(model: MilpModel) -> highspy.Highs:
    """A ``highspy.Highs`` holding ``model``, with HiGHS's default options and its log off.

    :func:`solve_milp` sets its own options on it; benchmarks use it to run HiGHS as shipped.
    """
    import highspy

    n_col, n_row = len(model.cost), len(model.row_lower)
    ri, ci, vals = model.rows
    csc = coo_matrix((vals, (ri, ci)), shape=(n_row, n_col)).tocsc()
    csc.sum_duplicates()
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n_col, n_row
    lp.col_cost_ = np.asarray(model.cost, float)
    lp.col_lower_ = np.asarray(model.col_lower, float)
    lp.col_upper_ = np.asarray(model.col_upper, float)
    lp.row_lower_ = np.where(np.isfinite(model.row_lower), model.row_lower, -highspy.kHighsInf)
    lp.row_upper_ = np.where(np.isfinite(model.row_upper), model.row_upper, highspy.kHighsInf)
    lp.offset_ = float(model.offset)
    lp.sense_ = highspy.ObjSense.kMaximize if model.maximise else highspy.ObjSense.kMinimize
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = csc.indptr.astype(np.int32)
    lp.a_matrix_.index_ = csc.indices.astype(np.int32)
    lp.a_matrix_.value_ = csc.data.astype(float)
    lp.integrality_ = [highspy.HighsVarType.kInteger if b else highspy.HighsVarType.kContinuous
                       for b in np.asarray(model.integer, bool)]
    h = highspy.Highs()  # type: ignore[no-untyped-call]
    h.setOptionValue("output_flag", False)
    h.passModel(lp)
    return h


def solve_milp(
    model: MilpModel,
    *,
    time_limit_s: float = 10.0,
    mip_rel_gap: float = 1e-9,
    mip_abs_gap: float = 1e-6,
    cutoff: float | None = None,
    start: np.ndarray | None = None,
) -> MilpSolution:
    """Solve ``model`` with HiGHS within ``time_limit_s`` seconds.

    ``start`` (optional) is a feasible value of every column, given to HiGHS as the first
    incumbent. ``cutoff`` prunes every node that cannot beat it (an objective known to be
    reachable); when nothing beats it the solution is None and ``bound`` is the cutoff.
    """
    import highspy

    h = highs_from_model(model)
    h.setOptionValue("time_limit", float(max(time_limit_s, 0.05)))
    h.setOptionValue("mip_rel_gap", float(mip_rel_gap))
    h.setOptionValue("mip_abs_gap", float(mip_abs_gap))
    if cutoff is not None:
        h.setOptionValue("objective_bound", float(cutoff))
    h.setOptionValue("threads", 1)
    if cutoff is not None:
        # Proving that nothing beats a known solution: primal heuristics only cost time.
        h.setOptionValue("mip_heuristic_effort", 0.0)
    if start is not None:
        sol = highspy.HighsSolution()
        sol.col_value = list(np.asarray(start, float))
        try:
            h.setSolution(sol)
        except Exception:  # pragma: no cover - a bad start must never stop the solve
            logger.debug("HiGHS refused the start solution", exc_info=True)
    h.run()
    status = h.modelStatusToString(h.getModelStatus())
    info = h.getInfo()
    has_x = info.primal_solution_status == 2  # kSolutionStatusFeasible
    x = np.asarray(h.getSolution().col_value, float) if has_x else None
    obj = float(info.objective_function_value) if has_x else float("nan")
    bound = float(info.mip_dual_bound) if any(model.integer) else obj
    if not np.isfinite(bound):
        bound = -np.inf if not model.maximise else np.inf
    pruned = cutoff is not None and status == "Infeasible"  # nothing beats the cutoff
    if pruned:
        bound = float(cutoff)  # type: ignore[arg-type]
    optimal = status == "Optimal" or pruned
    if optimal and not any(model.integer):
        bound = obj
    logger.debug("HiGHS: %s, objective %s, bound %s", status, obj, bound)
    return MilpSolution(x=x, objective=obj, bound=bound, status=status, optimal=optimal)
