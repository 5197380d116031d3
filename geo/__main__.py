"""``python -m geo``: the command-line interface (see geo.cli), also installed as ``news-atlas``."""

from __future__ import annotations

import sys

from geo.cli import main

if __name__ == "__main__":
    sys.exit(main(prog="python -m geo"))
