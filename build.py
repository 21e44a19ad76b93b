#!/usr/bin/env python3
"""leafpress command line; see README.md. Example: python build.py leaflets --lang ar"""

import sys

from leafpress.cli import main

if __name__ == "__main__":
    sys.exit(main())
