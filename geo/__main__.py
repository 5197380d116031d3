"""``python -m geo``: the command-line interface (see geo.cli)."""

from __future__ import annotations

import sys

from geo.cli import main

if __name__ == "__main__":
    sys.exit(main())
