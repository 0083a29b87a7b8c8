"""How many CPU cores are idle right now: the solvers run a second process only on a free core.

On a machine shared with other work (a server with many sessions) a second process would take
its core from them and halve the first process's speed without adding any: the routing planner
and the p-median branch-and-bound ask here first.
"""

from __future__ import annotations

import math
import os
import time
from pathlib import Path

__all__ = ["free_cores"]


def free_cores(sample_s: float = 0.2) -> float:
    """Idle CPU cores over the next ``sample_s`` seconds (Linux ``/proc/stat``); ``inf`` if
    unknown (another system), so that callers then do as configured."""

    def snapshot() -> tuple[float, float]:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
        values = [float(v) for v in fields]
        return values[3] + values[4], sum(values)  # idle + iowait, total

    try:
        idle0, total0 = snapshot()
        time.sleep(sample_s)
        idle1, total1 = snapshot()
    except (OSError, ValueError, IndexError):
        return math.inf
    if total1 <= total0:
        return math.inf
    return (os.cpu_count() or 1) * (idle1 - idle0) / (total1 - total0)
