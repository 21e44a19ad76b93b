"""The command line of the preflight: ``python -m leafpress.formats.print.preflight FILE...``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import leafpress.formats.print.preflight as checks
from leafpress.formats.paper import SIZES_MM


def _size(text: str) -> tuple[float, float]:
    width, _, height = text.lower().partition("x")
    return float(width), float(height)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m leafpress.formats.print.preflight",
                                     description=str(checks.__doc__).split("\n\n")[0])
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    parser.add_argument("--variant", choices=("pdf/x-4", "pdf/x-1a"), default="pdf/x-4")
    parser.add_argument("--trim", type=_size, default=SIZES_MM["A5"], metavar="WxH", help="trim size in mm (148x210)")
    parser.add_argument("--bleed", type=float, default=3, metavar="MM")
    parser.add_argument("--min-dpi", type=float, default=300)
    parser.add_argument("--safe", type=float, default=5, metavar="MM", help="text inset from the trim")
    args = parser.parse_args(argv)
    failed = False
    for path in args.files:
        findings = checks.preflight(
            path, variant=args.variant, trim_mm=args.trim, bleed_mm=args.bleed,
            min_dpi=args.min_dpi, safe_mm=args.safe,
        )
        for finding in findings:
            print(finding.format())
        failed = failed or bool(findings)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
