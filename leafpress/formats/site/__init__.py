"""The web site each leaflet's QR code points to: ``dist/site/``, static, phone first, no script.

    dist/site/index.html                      the languages to choose from (the root job)
    dist/site/site.css, fonts/, sitemap.xml   (the root job)
    dist/site/<lang>/index.html               the leaflets of a language, by booklet (an index job)
    dist/site/<lang>/<booklet>-<lang>.epub    the booklets, copied from dist/booklets (the index job)
    dist/site/<lang>/<id>/index.html          one article (a page job), at the leaflet's online_url,
    dist/site/<lang>/<id>/<id>-<lang>.pdf     with its screen PDF and brochure copied from dist/
    dist/site/<lang>/<id>/media/…             and its pictures

What the build needs (:mod:`leafpress.formats.site.plan`, ``make``, ``inputs``): the site's jobs
from the leaflets and booklets planned (:func:`site_jobs`), to be made after them;
:func:`make_site` for one job; :func:`site_fingerprint` for what one job is made from;
:data:`FOLDER`, the folder in dist/.

Each is imported when first asked for: planning the site (``plan``) must not import what only
making a page needs (Jinja, the QR codes, the EPUB reader), which a build with every page up to
date never does.
"""

from importlib import import_module

_WHERE = {"FOLDER": "layout", "KIND": "layout", "make_site": "make", "site_fingerprint": "inputs",
          "site_jobs": "plan"}
__all__ = sorted(_WHERE)


def __getattr__(name: str) -> object:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{_WHERE[name]}"), name)
