"""The cross-reference stream of a finished PDF, written again with a PNG predictor.

pydyf writes the cross-reference stream (one fixed-width row per object) as
plain Flate. Rows of objects in one object stream differ from the row
before only in the last byte, so with the PNG "Up" predictor (each byte
minus the byte above it, ISO 32000-1 7.4.4.4) they compress to almost
nothing: a few hundred bytes less per leaflet, which is what PDF writers
such as qpdf do too.

Only the last object of the file is touched, and only if it is exactly
what pydyf writes there; anything else is returned unchanged. Every other
byte, and so every offset in the table, stays where it was.
"""

from __future__ import annotations

import re
import zlib

TAIL = re.compile(rb"\nendstream\nendobj\nstartxref\n(\d+)\n%%EOF\n\Z")
HEAD = re.compile(rb"\d+ 0 obj\n<<(/Type /XRef/.*)/Filter /FlateDecode/Length (\d+)>>\nstream\n", re.S)
WIDTHS = re.compile(rb"/W \[(\d+) (\d+) (\d+)\]")
UP = 2  # PNG filter type written before every row


def predict_xref(data: bytes) -> bytes:
    """``data`` with its cross-reference stream re-encoded with the PNG Up predictor."""
    tail = TAIL.search(data)
    if tail is None:
        return data
    start = int(tail.group(1))
    head = HEAD.match(data, start)
    if head is None or b"/DecodeParms" in head.group(1):
        return data
    widths = WIDTHS.search(head.group(1))
    if widths is None or head.end() + int(head.group(2)) != tail.start():
        return data
    columns = sum(int(width) for width in widths.groups())
    rows = zlib.decompress(data[head.end():tail.start()])
    if not columns or len(rows) % columns:
        return data
    encoded = zlib.compress(up_rows(rows, columns), 9)
    return b"".join((
        data[:head.start(1)], head.group(1), b"/Filter /FlateDecode/DecodeParms <</Predictor 12/Columns %d>>" % columns,
        b"/Length %d>>\nstream\n" % len(encoded), encoded, data[tail.start():],
    ))


def up_rows(rows: bytes, columns: int) -> bytes:
    """``rows`` (``columns`` bytes each) PNG-filtered with "Up": a filter byte, then each
    byte minus the one above it, modulo 256."""
    out = bytearray()
    above = bytes(columns)
    for offset in range(0, len(rows), columns):
        row = rows[offset:offset + columns]
        out.append(UP)
        out.extend((byte - over) & 0xFF for byte, over in zip(row, above))
        above = row
    return bytes(out)
