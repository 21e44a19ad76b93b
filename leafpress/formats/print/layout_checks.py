"""Print warnings read from the layout: text too near the trim, images with too few pixels;
and text of the HTML that the layout left out (:func:`missing_text`).

The print PDF is converted from the very layout WeasyPrint made for the
screen PDF (:mod:`leafpress.formats.print.pdfx`), so what a print shop would reject
for reasons of *content* can be seen in WeasyPrint's boxes already, without
reading the written file back (``pdftotext`` and a content-stream walk cost
more than a leaflet's conversion). The judgement itself is preflight's
(:func:`leafpress.formats.print.preflight.outside_safe_area`,
:func:`leafpress.formats.print.preflight.resolution_finding`); ``make check`` still runs
the whole preflight on the files.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

from leafpress.diagnostics import Diagnostic
from leafpress.formats.print.preflight import Word, outside_safe_area, resolution_finding

PT_PER_PX = 0.75  # CSS px to PDF points


def layout_findings(document: Any, *, min_dpi: float = 300, safe_mm: float = 5) -> list[Diagnostic]:
    """What preflight would say about text placement and image resolution of a ``weasyprint.Document``
    (in no file yet: the caller places them, :meth:`~leafpress.diagnostics.Diagnostic.at`)."""
    from leafpress.upstream.weasyprint_adapter import RasterImage, ReplacedBox, TextBox, page_box, walk

    found_words: list[Word] = []
    findings: list[Diagnostic] = []
    trims = []
    for number, page in enumerate(document.pages, start=1):
        trims.append((0.0, 0.0, page.width * PT_PER_PX, page.height * PT_PER_PX))
        for box in walk(page_box(page)):
            if isinstance(box, TextBox) and box.text.strip():
                found_words.append(Word(number, _short(box.text), _points(box)))
            elif isinstance(box, ReplacedBox) and isinstance(box.replacement, RasterImage):
                image = box.replacement
                size = (box.width * PT_PER_PX, box.height * PT_PER_PX)
                finding = resolution_finding(f"image {_source(box)}", (image.width, image.height), size,
                                             number, min_dpi)
                if finding is not None:
                    findings.append(finding)
    return [*outside_safe_area(found_words, trims, safe_mm), *findings]


def _points(box: Any) -> tuple[float, float, float, float]:
    x, y = box.position_x * PT_PER_PX, box.position_y * PT_PER_PX
    return (x, y, x + box.width * PT_PER_PX, y + box.height * PT_PER_PX)


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _source(box: Any) -> str:
    element = getattr(box, "element", None)
    return element.get("src", "") if element is not None else ""


#: elements whose text is one run: a run must be laid out whole and in order
BLOCKS = frozenset({"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dt", "dd",
                    "figcaption", "caption", "blockquote", "section", "div", "ul", "ol", "dl",
                    "table", "tr", "figure", "aside", "main", "body", "br"})
#: elements whose text is never laid out as text
UNSHOWN = frozenset({"head", "style", "script", "svg", "title", "template"})


def _letters(text: str) -> str:
    """Only letters and digits, case folded: what hyphenation, soft hyphens, spacing,
    line breaks and text-transform leave alone."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


class _Runs(HTMLParser):
    """The text of an HTML document, cut at every block element, without what is never shown."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.runs: list[str] = []
        self._current: list[str] = []
        self._hidden = 0

    def _cut(self) -> None:
        text = " ".join("".join(self._current).split())
        if text:
            self.runs.append(text)
        self._current = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in UNSHOWN:
            self._hidden += 1
        elif tag in BLOCKS and not self._hidden:
            self._cut()

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        if tag in BLOCKS and not self._hidden:
            self._cut()

    def handle_endtag(self, tag: str) -> None:
        if tag in UNSHOWN:
            self._hidden = max(0, self._hidden - 1)
        elif tag in BLOCKS and not self._hidden:
            self._cut()

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self._current.append(data)

    def close(self) -> None:
        super().close()
        self._cut()


def html_runs(html: str) -> list[str]:
    """The runs of text of ``html`` (each block's own text, nested blocks apart)."""
    parser = _Runs()
    parser.feed(html)
    parser.close()
    return parser.runs


def laid_out_text(document: Any) -> str:
    """The letters of every text box shown on the pages' content, page after page; the page
    margins (page numbers, running heads) are left out, so a paragraph that continues on
    the next page reads on."""
    from leafpress.upstream.weasyprint_adapter import MarginBox, TextBox, page_box, walk

    pieces: list[str] = []
    for page in document.pages:
        for root in page_box(page).children:
            if isinstance(root, MarginBox):
                continue
            # a box of no width shows nothing: Pango lays out a 1 MB word so
            pieces += [box.text for box in walk(root) if isinstance(box, TextBox) and box.width > 0]
    return _letters("".join(pieces))


def missing_text(document: Any, html: str) -> list[str]:
    """The runs of ``html`` that the layout of ``document`` does not hold, in order:
    text a page could not fit, a box that lost its content."""
    shown = laid_out_text(document)
    return [run for run in html_runs(html) if _letters(run) not in shown]
