"""Paper sizes: the formats a leaflet is laid out in, and a check that a PDF's pages have the size they should.

Sizes are portrait (width, height) in millimetres, as ISO 216 gives them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

SIZES_MM: dict[str, tuple[float, float]] = {"A5": (148, 210), "A4": (210, 297), "A3": (297, 420)}
FORMATS = ("A5", "A4")  # what content/site.yaml and an article's front matter may choose
# The office brochure: A4 sheets, the paper every clinic's printer takes, folded to A5 pages.
BROCHURE_SHEET, BROCHURE_PAGE = "A4", "A5"
MM = 72 / 25.4
TOLERANCE_MM = 0.1

Box = tuple[float, float, float, float]


def points(name: str) -> tuple[float, float]:
    """Portrait (width, height) of a named paper size, in PDF points."""
    width, height = SIZES_MM[name]
    return width * MM, height * MM


def describe(name: str, landscape: bool = False) -> str:
    width, height = SIZES_MM[name]
    if landscape:
        width, height = height, width
    return f"{name}, {width:g} × {height:g} mm" + (" landscape" if landscape else "")


def has_size(box: Box, name: str, landscape: bool = False) -> bool:
    width, height = SIZES_MM[name]
    if landscape:
        width, height = height, width
    tolerance = TOLERANCE_MM * MM
    return (abs(box[2] - box[0] - width * MM) <= tolerance
            and abs(box[3] - box[1] - height * MM) <= tolerance)


def as_box(values: Iterable) -> Box:
    """Four numbers of a PDF rectangle (``/MediaBox`` and the like) as a :data:`Box`."""
    x0, y0, x1, y1 = (float(v) for v in values)
    return x0, y0, x1, y1


def size_findings(numbered: Iterable[tuple[int, Box]], name: str, what: str, landscape: bool = False,
                  unit: str = "page") -> Iterator[str]:
    """One message per size that is not ``name``: on which pages (or sheets, ``unit``) the boxes have it."""
    wrong: dict[tuple[float, float], list[int]] = {}
    for number, box in numbered:
        if not has_size(box, name, landscape):
            size = (round((box[2] - box[0]) / MM, 1), round((box[3] - box[1]) / MM, 1))
            numbers = wrong.setdefault(size, [])
            if number not in numbers:
                numbers.append(number)
    for (width, height), numbers in wrong.items():
        where = f"{unit} {numbers[0]}" + (f" and {len(numbers) - 1} more" if len(numbers) > 1 else "")
        yield f"{where}: {what} is {width:g} × {height:g} mm, expected {describe(name, landscape)}"
