"""Files the site copies from dist/ (the PDFs and EPUBs the other formats made) and content/ (pictures)."""

from __future__ import annotations

import shutil
from pathlib import Path

from leafpress.build.manifest import read_regular
from leafpress.build.outputs import Staging
from leafpress.diagnostics import BuildFailed, error
from leafpress.source.load import Project

LIMIT = 256 * 2**20  # bytes: no leaflet or booklet comes near it


def copy_made(project: Project, source: Path, target: Path, staging: Staging) -> int:
    """Copy an output of another job (``source``, in dist/) to ``target``; its size in bytes.

    What is in dist/ is untrusted: a symbolic link or anything but a plain file is not followed.
    Missing (its job failed, or was not part of this build): the page is not made."""
    root = project.paths.root
    try:
        data = read_regular(source, LIMIT)
    except (OSError, ValueError) as exc:
        raise BuildFailed([error(source.relative_to(root), None, "site.download",
                                 f"not copied into the site: {exc}; build it again")]) from None
    if data is None:
        raise BuildFailed([error(source.relative_to(root), None, "site.download",
                                 "is not there, so the web page that offers it for download is not made; "
                                 "build the leaflets and booklets with the site (build.py site)")])
    staging.path(target).write_bytes(data)
    return len(data)


def copy_file(source: Path, target: Path, staging: Staging) -> None:
    """Copy a project file (a picture in content/media) to ``target``."""
    shutil.copyfile(source, staging.path(target))
