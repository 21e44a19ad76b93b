"""EPUB 3 booklets with ebooklib, carrying EPUB Accessibility 1.1 metadata.

ebooklib packages the files, the OPF and the NCX; the content documents and
the navigation document are our own XHTML from the templates, stored as-is
(ebooklib's HTML re-parsing would drop ``epub:type`` and the head).

The same package gives the same bytes: every file in the zip carries the
package's ``file_time`` (ebooklib would stamp the clock's time), is made
"on Unix" with the same permissions, and the files go in in the package's
order (mimetype, container, OPF, then the items as added).
"""

from __future__ import annotations

import datetime as dt
import uuid
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ebooklib import epub

from leafpress.build.outputs import atomic_path
from leafpress.render.fonts import FONT_MEDIA_TYPES

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
A11Y_CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"


@dataclass(frozen=True)
class Document:
    file_name: str
    title: str
    xhtml: str
    in_toc: bool = True
    sections: tuple[tuple[str, str], ...] = ()  # (id, heading): the second level of the table of contents


@dataclass(frozen=True)
class BookletPackage:
    identifier: str
    title: str
    description: str
    lang: str
    dir: str
    publisher: str
    modified: dt.datetime         # dcterms:modified
    file_time: dt.datetime        # the time on every file in the zip
    nav: str                      # the navigation document's XHTML
    documents: tuple[Document, ...]  # reading order
    stylesheet: bytes
    images: tuple[tuple[str, Path], ...]  # (href, file)
    fonts: tuple[tuple[str, Path], ...]   # (href, file): fonts for scripts reading systems may lack
    accessibility_summary: str
    certified_by: str
    subjects: tuple[str, ...] = ()  # dc:subject: the articles' keywords, in the booklet's language


def stable_identifier(base_url: str, lang: str, booklet_id: str) -> str:
    """The same booklet in the same language keeps the same identifier across builds."""
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"{base_url}/{lang}/{booklet_id}"))


ZIP_TIMES = (dt.datetime(1980, 1, 1), dt.datetime(2107, 12, 31, 23, 59, 58))  # what a zip can hold


def zip_date_time(moment: dt.datetime) -> tuple[int, int, int, int, int, int]:
    """``moment`` as a zip entry's date and time, brought into the years a zip can hold."""
    earliest, latest = ZIP_TIMES
    return min(max(moment.replace(tzinfo=None), earliest), latest).timetuple()[:6]


class _StampedZip(zipfile.ZipFile):
    """A zip whose entries, written by name, all carry ``date_time`` (not the clock's) and
    say they were made on Unix, with the permissions ``ZipFile.writestr`` gives by name."""

    def __init__(self, *args, date_time: tuple[int, ...], **kwargs):
        super().__init__(*args, **kwargs)
        self.date_time = date_time

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):  # noqa: ANN001
        if isinstance(zinfo_or_arcname, str):
            zinfo = zipfile.ZipInfo(zinfo_or_arcname, date_time=self.date_time)
            zinfo.create_system = 3
            zinfo.external_attr = 0o600 << 16
            zinfo.compress_type = self.compression
            zinfo_or_arcname = zinfo
            compresslevel = self.compresslevel if compresslevel is None else compresslevel
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)


class _Writer(epub.EpubWriter):
    """ebooklib's writer, plus ``xml:lang`` on <package> (EPUB Accessibility asks for it),
    writing a zip with one time on every file (``options["file_time"]``)."""

    def _write_opf_file(self, root):  # noqa: ANN001 - ebooklib's signature
        root.set(XML_LANG, self.book.language)
        super()._write_opf_file(root)

    def write(self):
        """ebooklib's ``EpubWriter.write``, into a :class:`_StampedZip`."""
        self.out = _StampedZip(self.file_name, "w", zipfile.ZIP_DEFLATED,
                               compresslevel=self.options["compresslevel"],
                               date_time=zip_date_time(self.options["file_time"]))
        self.out.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        self._write_container()
        self._write_opf()
        self._write_items()
        self.out.close()


def _accessibility(book: epub.EpubBook, package: BookletPackage) -> None:
    features = ["structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability"]
    if package.images:
        features.append("alternativeText")
    # Tables with header cells count under structuralNavigation: schema.org has no
    # "table" feature, and Ace reports it as invalid (metadata-accessibilityfeature-invalid).
    modes = ["textual", "visual"] if package.images else ["textual"]
    # every image has a text alternative, so text alone is enough to read the booklet
    meta = [("schema:accessMode", mode) for mode in modes] + [("schema:accessModeSufficient", "textual")]
    meta += [("schema:accessibilityFeature", f) for f in features]
    meta += [("schema:accessibilityHazard", "none"),
             ("schema:accessibilitySummary", package.accessibility_summary),
             ("dcterms:conformsTo", A11Y_CONFORMS_TO),
             ("a11y:certifiedBy", package.certified_by)]
    for prop, value in meta:
        book.add_metadata(None, "meta", value, {"property": prop})


def build_book(package: BookletPackage) -> epub.EpubBook:
    book = epub.EpubBook()
    book.set_identifier(package.identifier)
    book.set_title(package.title)
    book.set_language(package.lang)
    book.add_metadata("DC", "publisher", package.publisher)
    book.add_metadata("DC", "creator", package.publisher)
    if package.description:
        book.add_metadata("DC", "description", package.description)
    for subject in package.subjects:
        book.add_metadata("DC", "subject", subject)
    book.add_metadata("DC", "date", package.modified.date().isoformat())
    book.add_prefix("a11y", "http://www.idpf.org/epub/vocab/package/a11y/#")
    if package.dir == "rtl":
        book.set_direction("rtl")
    _accessibility(book, package)

    book.add_item(epub.EpubItem(uid="style", file_name="style.css", media_type="text/css",
                                content=package.stylesheet))
    for index, (href, path) in enumerate(package.images):
        media_type = "image/png" if path.suffix.lower() == ".png" else (
            "image/svg+xml" if path.suffix.lower() == ".svg" else "image/jpeg")
        book.add_item(epub.EpubItem(uid=f"image-{index}", file_name=href, media_type=media_type,
                                    content=path.read_bytes()))
    for index, (href, path) in enumerate(package.fonts):
        book.add_item(epub.EpubItem(uid=f"font-{index}", file_name=href, content=path.read_bytes(),
                                    media_type=FONT_MEDIA_TYPES.get(path.suffix.lower(), "font/ttf")))
    nav = epub.EpubItem(uid="nav", file_name="nav.xhtml", media_type="application/xhtml+xml",
                        content=package.nav.encode("utf-8"))
    nav.properties = ["nav"]
    book.add_item(nav)
    spine = []
    for index, document in enumerate(package.documents):
        item = epub.EpubItem(uid=f"doc-{index}", file_name=document.file_name,
                             media_type="application/xhtml+xml", content=document.xhtml.encode("utf-8"))
        book.add_item(item)
        spine.append(item)
    book.toc = [_toc_entry(d, i) for i, d in enumerate(package.documents) if d.in_toc]
    book.add_item(epub.EpubNcx())
    book.spine = spine
    return book


def _toc_entry(document: Document, index: int) -> epub.Link | tuple[epub.Link, list[epub.Link]]:
    """A document in the NCX: a link, with its sections' links below it."""
    link = epub.Link(document.file_name, document.title, f"toc-{index}")
    if not document.sections:
        return link
    return link, [epub.Link(f"{document.file_name}#{ident}", title, f"toc-{index}-{n}")
                  for n, (ident, title) in enumerate(document.sections, start=1)]


def write_booklet(package: BookletPackage, target: Path) -> None:
    book = build_book(package)
    with atomic_path(target) as temporary:
        writer = _Writer(str(temporary), book, {"mtime": package.modified, "file_time": package.file_time,
                                                "raise_exceptions": True,
                                                "package_direction": package.dir == "rtl"})
        writer.process()
        writer.write()


def chapter_file(article_id: str) -> str:
    return f"{article_id}.xhtml"


def documents_in_order(titlepage: Document, chapters: Sequence[Document],
                       references: Document | None) -> tuple[Document, ...]:
    return (titlepage, *chapters, *((references,) if references else ()))
