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
"""

from leafpress.formats.site.inputs import site_fingerprint
from leafpress.formats.site.layout import FOLDER, KIND
from leafpress.formats.site.make import make_site
from leafpress.formats.site.plan import site_jobs

__all__ = ["FOLDER", "KIND", "make_site", "site_fingerprint", "site_jobs"]
