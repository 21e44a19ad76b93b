"""Make one job of the site (:mod:`leafpress.formats.site`), written where ``staging`` says."""

from __future__ import annotations

from leafpress.build.outputs import Staging
from leafpress.build.pipeline import Job, Made, Session
from leafpress.formats.site.assets import site_fonts, stylesheet, woff2
from leafpress.formats.site.index import make_index, make_root
from leafpress.formats.site.layout import ASSETS, INDEX, ROOT, site_dir
from leafpress.formats.site.page import make_page


def make_site(session: Session, job: Job, staging: Staging) -> Made:
    if job.id == ASSETS:
        return make_assets(session, staging)
    if job.id == ROOT:
        return make_root(session, job, staging)
    if job.id == INDEX:
        return make_index(session, job, staging)
    return make_page(session, job, staging)


def make_assets(session: Session, staging: Staging) -> Made:
    """site.css and the fonts it names."""
    project = session.project
    folder = site_dir(project)
    fonts = site_fonts(project.paths.templates, session.parsed, project.site.languages)
    outputs = [folder / "site.css"]
    staging.path(outputs[0]).write_bytes(stylesheet(project.paths.templates, fonts))
    for font in fonts:
        target = folder / font.href
        staging.path(target).write_bytes(woff2(font))
        outputs.append(target)
    licence = project.paths.templates / "fonts" / "OFL.txt"
    if licence.is_file():  # the fonts' licence goes with them
        outputs.append(folder / "fonts" / licence.name)
        staging.path(outputs[-1]).write_bytes(licence.read_bytes())
    return Made(tuple(outputs))
