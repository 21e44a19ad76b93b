"""What an ICC profile's header says, in words: whether it is a CMYK printer profile (ICC.1 7.2).

Used where ``icc_profile`` is checked at load (project.py) and where the print PDF
reads it (formats/print/pdfx/writer.py). A message describes the header, never quotes its bytes:
a wrong file may be anything, a text with a password in it too.
"""

from __future__ import annotations

HEADER_SIZE = 128
#: device classes and colour spaces by their signature (bytes 12-15 and 16-19 of the header)
CLASSES = {b"scnr": "an input (scanner or camera)", b"mntr": "a display", b"prtr": "a printer",
           b"link": "a device link", b"spac": "a colour space conversion", b"abst": "an abstract",
           b"nmcl": "a named colour"}
SPACES = {b"RGB ": "RGB", b"GRAY": "grey", b"CMYK": "CMYK", b"Lab ": "Lab", b"XYZ ": "XYZ", b"CMY ": "CMY"}


def cmyk_problem(header: bytes) -> str | None:
    """Why a file starting with ``header`` is not a CMYK printer profile, or None when it is one."""
    if len(header) < HEADER_SIZE or header[36:40] != b"acsp":
        return "is not an ICC profile"
    if header[12:16] == b"prtr" and header[16:20] == b"CMYK":
        return None
    kind = CLASSES.get(header[12:16], "another kind of")
    space = SPACES.get(header[16:20], "another colour space")
    return f"is {kind} profile for {space}, not a CMYK printer profile"
