"""leafpress.upstream.font_arrays: WeasyPrint's glyph arrays made from one C type, same PDF."""

import subprocess
import sys
import textwrap

import cffi

from leafpress.upstream.font_arrays import UnsizedArrays


def test_a_sized_array_is_made_from_the_unsized_type():
    ffi = cffi.FFI()
    arrays = UnsizedArrays(ffi)
    made = arrays.new("unsigned int[3]", [7, 8, 9])
    assert ffi.typeof(made) == ffi.typeof("unsigned int[]")
    assert list(made) == [7, 8, 9]


def test_anything_else_goes_to_cffi_as_it_is():
    ffi = cffi.FFI()
    arrays = UnsizedArrays(ffi)
    assert ffi.typeof(arrays.new("int[4]", [1, 2])) == ffi.typeof("int[4]")  # zero-filled tail
    assert list(arrays.new("int[4]", [1, 2])) == [1, 2, 0, 0]
    assert ffi.typeof(arrays.new("int[5]")) == ffi.typeof("int[5]")
    assert ffi.typeof(arrays.new("int *", 3)) == ffi.typeof("int *")
    assert arrays.sizeof("int") == ffi.sizeof("int")


def test_weasyprint_writes_the_same_pdf_without_parsing_array_types(tmp_path):
    """In a child process (the fix is for the whole process): one document written before
    and after :func:`install`; the PDFs are byte for byte the same, and the second write
    adds no C type for its glyph arrays."""
    script = textwrap.dedent("""
        import sys
        from weasyprint import HTML
        from weasyprint.pdf import fonts
        from leafpress.upstream.font_arrays import install

        html = "<p style='font-family: DejaVu Sans, sans-serif'>Ketamine • Кетамін • Ketamin çğş</p>"
        document = HTML(string=html).render()
        before = document.write_pdf()
        types = dict(fonts.ffi._parsed_types)
        document = HTML(string=html + "<p>zwaar</p>").render()
        install()
        install()
        after = HTML(string=html).render().write_pdf()
        document.write_pdf()  # other glyph counts
        new = [t for t in fonts.ffi.ffi._parsed_types if t not in types and "[" in t and "[]" not in t]
        sys.stdout.write(f"{before == after} {new}")
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout == "True []"
