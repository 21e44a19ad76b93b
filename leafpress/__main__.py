"""``python -m leafpress build|status|...``: the same command line as ``leafpress`` and ``build.py``."""

import sys

from leafpress.cli import main

if __name__ == "__main__":
    sys.exit(main(prog="python -m leafpress"))
