"""The template files leafpress names, and the ones that come with leafpress.

A build takes every template from its own project: ``Paths.templates``
(``<root>/templates``), passed down to each stage. The names below say where
in such a folder leafpress looks for the files it uses by name.

Outside a build (a stage called as a library, without a project: the tests of
one stage, a one-off print PDF) a function falls back on the defaults that come
with leafpress: the ``templates/`` folder of the source tree leafpress is
installed from (``pip install -e .``, as the Makefile does). This module is the
one place that knows where that folder is.
"""

from __future__ import annotations

from pathlib import Path

#: the reference style, APA 7 with leafpress's additions (templates/csl/README.md; CC BY-SA 3.0)
CSL_STYLE = "csl/apa-7-leafpress.csl"
#: the print PDF's default output intent, Artifex's SWOP CMYK profile (templates/icc/README.md; AGPL-3.0-or-later)
ICC_PROFILE = "icc/ghostscript-default_cmyk.icc"
#: the print rules every layout gets after the leaflet's own stylesheets (leafpress.formats.print.pdfx)
BLEED_CSS = "bleed.css"

#: the templates that come with leafpress, for a stage called without a project
SHIPPED_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
SHIPPED_CSL_STYLE = SHIPPED_TEMPLATES / CSL_STYLE
SHIPPED_ICC_PROFILE = SHIPPED_TEMPLATES / ICC_PROFILE
