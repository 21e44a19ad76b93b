"""The cross-reference stream rewritten with a PNG predictor: same objects, fewer bytes."""

from __future__ import annotations

import io
import shutil
import subprocess
import zlib

import pikepdf
import pytest
from weasyprint import HTML

from leafpress.formats.pdf.xref import predict_xref, up_rows

HTML_TEXT = "<html lang=nl><title>t</title>" + "".join(f"<h2>Kop {n}</h2><p>Alinea {n}.</p>" for n in range(40))


@pytest.fixture(scope="module")
def written() -> bytes:
    return HTML(string=HTML_TEXT).write_pdf(pdf_variant="pdf/ua-1")


def objects(data: bytes) -> dict:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return {obj.objgen: (obj.read_bytes() if isinstance(obj, pikepdf.Stream) else obj.unparse(resolved=True))
                for obj in pdf.objects if obj.objgen != (0, 0)}


def test_same_objects_fewer_bytes(written, tmp_path):
    predicted = predict_xref(written)
    assert len(predicted) < len(written)
    assert objects(predicted) == objects(written)
    with pikepdf.open(io.BytesIO(predicted)) as pdf:
        assert pdf.trailer.DecodeParms.Predictor == 12
        assert pdf.trailer.DecodeParms.Columns == sum(int(w) for w in pdf.trailer.W)
    if shutil.which("qpdf"):
        path = tmp_path / "predicted.pdf"
        path.write_bytes(predicted)
        assert subprocess.run(["qpdf", "--check", str(path)], capture_output=True).returncode == 0


def test_only_the_last_object_changes(written):
    predicted = predict_xref(written)
    start = int(written[written.rindex(b"startxref") + 9:].split()[0])
    assert predicted[:start] == written[:start]
    assert predicted.endswith(b"startxref\n%d\n%%%%EOF\n" % start)


def test_anything_else_is_left_alone(written):
    once = predict_xref(written)
    assert predict_xref(once) == once  # already predicted
    with pikepdf.open(io.BytesIO(written)) as pdf:  # a file qpdf wrote
        other = io.BytesIO()
        pdf.save(other)
    assert predict_xref(other.getvalue()) == other.getvalue()
    uncompressed = HTML(string=HTML_TEXT).write_pdf(uncompressed_pdf=True)  # a classic xref table
    assert predict_xref(uncompressed) == uncompressed


def test_up_rows():
    rows = bytes([2, 0, 7, 2, 0, 8, 1, 1, 0])
    assert up_rows(rows, 3) == bytes([2, 2, 0, 7, 2, 0, 0, 1, 2, 255, 1, 248])


def test_sequential_rows_compress_to_almost_nothing():
    rows = b"".join(bytes([2, 0, 9, 0, n]) for n in range(250))
    assert len(zlib.compress(up_rows(rows, 5), 9)) < len(zlib.compress(rows, 9)) / 4
