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

__all__ = ["cpu_ticks", "free_cores"]


def cpu_ticks(stat_text: str | None = None) -> tuple[int, int]:
    """(idle, total) clock ticks of all cores since boot, from ``/proc/stat``'s first line
    (``stat_text`` for tests). Idle counts I/O wait; the total leaves out guest time, which
    the kernel already counts in user time."""
    text = stat_text if stat_text is not None else Path("/proc/stat").read_text()
    values = [int(v) for v in text.split("\n", 1)[0].split()[1:]]
    return values[3] + (values[4] if len(values) > 4 else 0), sum(values[:8])


def free_cores(sample_s: float = 0.2) -> float:
    """Idle CPU cores over the next ``sample_s`` seconds (Linux ``/proc/stat``); ``inf`` if
    unknown (another system), so that callers then do as configured."""
    try:
        idle0, total0 = cpu_ticks()
        time.sleep(sample_s)
        idle1, total1 = cpu_ticks()
    except (OSError, ValueError, IndexError):
        return math.inf
    if total1 <= total0:
        return math.inf
    return (os.cpu_count() or 1) * (idle1 - idle0) / (total1 - total0)
