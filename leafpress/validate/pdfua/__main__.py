"""The command line of the PDF/UA checker: ``python -m leafpress.validate.pdfua FILE...``."""

from __future__ import annotations

import sys
from collections.abc import Iterable

import pikepdf

from leafpress.diagnostics import error
from leafpress.validate.pdfua import check_pdf


def main(argv: Iterable[str]) -> int:
    paths = list(argv)
    if not paths:
        print("usage: python -m leafpress.validate.pdfua FILE...", file=sys.stderr)
        return 2
    failed = False
    for path in paths:
        try:
            findings = check_pdf(path)
        except (OSError, pikepdf.PdfError) as exc:
            findings = [error(path, None, "pdfua.unreadable", f"cannot be read: {exc}")]
        for finding in findings:
            print(finding.format())
        failed = failed or bool(findings)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
