"""The Milk round page's two modes, drawn from ``pages/milk_round.py``: one cycle
(:mod:`~ui.milk_round.cycle`) and several weeks (:mod:`~ui.milk_round.horizon`), with what they
share (:mod:`~ui.milk_round.common`)."""

from ui.milk_round.common import MilkRoundView
from ui.milk_round.cycle import cycle_mode
from ui.milk_round.horizon import horizon_inputs, horizon_results

__all__ = ["MilkRoundView", "cycle_mode", "horizon_inputs", "horizon_results"]
