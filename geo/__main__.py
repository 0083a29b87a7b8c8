"""``python -m geo <job> …``: see :mod:`geo.cli`."""

from __future__ import annotations

from geo.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
