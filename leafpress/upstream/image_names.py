"""Pictures named after what they show, not after the folder they were loaded from.

WeasyPrint 70 names each raster image in the PDF ``/i<md5 of its URL>``
(``weasyprint.images.get_image_from_uri`` sets ``RasterImage.id``, which
``Stream.add_image`` writes as the XObject's name). Our URLs are ``file:``
URLs under the project folder, so the same leaflet built in
``/home/anna/folders`` and in ``/srv/build`` gives two different PDFs, and
so do its print PDF and brochure.

:func:`name_by_content` renames every raster image of a laid-out document
after the md5 of its own bytes, before the PDF is written: the same picture
gets the same name wherever the project lives, and two URLs of one picture
share it (WeasyPrint then embeds it once). The images are found in the
image cache the layout filled (``render(cache=...)``, a public option); the
one internal touched is ``RasterImage.id``, set in the adapter
(:mod:`leafpress.upstream.weasyprint_adapter`, report §16 of ``weasyprint.md``) and tested in
``tests/test_reproducible_print.py`` (``test_gap_weasyprint_names_...``).
The fix belongs upstream: an id from the image data, as the cache keys of
the converted images already are.
"""

from __future__ import annotations

from hashlib import md5
from typing import Any


def name_by_content(cache: dict[Any, Any]) -> None:
    """Give every raster image in ``cache`` (a layout's image cache) an id from its bytes
    (:func:`leafpress.upstream.weasyprint_adapter.rename_raster_images`)."""
    from leafpress.upstream.weasyprint_adapter import rename_raster_images

    rename_raster_images(cache, content_name)


def content_name(data: bytes) -> str:
    """The name of a picture made of ``data``: the md5 of its bytes."""
    return md5(data, usedforsecurity=False).hexdigest()
