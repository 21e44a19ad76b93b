"""Colours to CMYK in a content stream and in everything it uses: forms, tiling patterns,
shadings, images; for PDF/X-1a soft masks flattened onto white paper and transparency
groups removed.
"""

from __future__ import annotations

import zlib
from decimal import Decimal

import pikepdf
from pikepdf import Array, Dictionary, Name
from PIL import Image

from leafpress.formats.print.pdfx.colour_conversion import ColourConverter, colour_kind
from leafpress.formats.print.pdfx.content import convert_content
from leafpress.formats.print.pdfx.content_fast import convert_content_fast


def convert_stream(stream_owner, resources, converter: ColourConverter, flatten: bool, seen: set,
                   used: set[str]) -> None:
    """Convert colours in one content stream and, recursively, what it uses."""
    target = stream_owner if isinstance(stream_owner, pikepdf.Stream) else stream_owner.Contents
    data = None if flatten else convert_content_fast(target.read_bytes(), resources, converter, used)
    if data is None:
        data = convert_content(stream_owner, resources, converter, flatten, used)
    target.write(data)
    if resources is not None:
        _convert_resources(resources, converter, flatten, seen, used)


def _convert_resources(resources, converter: ColourConverter, flatten: bool, seen: set, used: set[str]) -> None:
    for xobject in resources.get("/XObject", Dictionary()).values():
        if xobject.objgen in seen:
            continue
        seen.add(xobject.objgen)
        if xobject.get("/Subtype") == Name.Form:
            if flatten:
                drop_transparency_group(xobject)
            else:
                _cmyk_group(xobject)
            convert_stream(xobject, xobject.get("/Resources"), converter, flatten, seen, used)
        elif xobject.get("/Subtype") == Name.Image:
            _convert_image(xobject, converter, flatten)
    for pattern in resources.get("/Pattern", Dictionary()).values():
        if pattern.objgen in seen and pattern.objgen != (0, 0):
            continue
        seen.add(pattern.objgen)
        if int(pattern.get("/PatternType", 0)) == 1:
            convert_stream(pattern, pattern.get("/Resources"), converter, flatten, seen, used)
        elif "/Shading" in pattern:
            _convert_shading(pattern.Shading, converter)
    for shading in resources.get("/Shading", Dictionary()).values():
        _convert_shading(shading, converter)


def _cmyk_group(xobject) -> None:
    group = xobject.get("/Group")
    if group is not None and colour_kind(group.get("/CS"), None) == "rgb":
        group.CS = Name.DeviceCMYK


def drop_transparency_group(obj) -> None:
    group = obj.get("/Group")
    if group is not None and group.get("/S") == Name.Transparency:
        del obj["/Group"]


def _function_outputs(function) -> int | None:
    if int(function.get("/FunctionType", -1)) == 2:
        return len(function.get("/C0", [0]))
    if int(function.get("/FunctionType", -1)) == 3:
        outputs = {_function_outputs(f) for f in function.Functions}
        return outputs.pop() if len(outputs) == 1 else None
    return None


def _convert_function(function, converter: ColourConverter) -> None:
    if int(function.FunctionType) == 2:
        for key in ("/C0", "/C1"):
            values = [float(v) for v in function.get(key, [0, 0, 0] if key == "/C0" else [1, 1, 1])]
            function[key] = Array([Decimal(str(v)) for v in converter.rgb(*values)])
    else:
        for sub in function.Functions:
            _convert_function(sub, converter)


def _convert_shading(shading, converter: ColourConverter) -> None:
    """RGB shadings to CMYK."""
    kind = colour_kind(shading.get("/ColorSpace"), None)
    function = shading.get("/Function")
    if function is None or isinstance(function, Array):
        return
    outputs = _function_outputs(function)
    if outputs == 3 and kind == "rgb":
        _convert_function(function, converter)
        shading.ColorSpace = Name.DeviceCMYK


def _convert_image(image, converter: ColourConverter, flatten: bool) -> None:
    """RGB images to CMYK; for X-1a, soft masks flattened onto white paper."""
    kind = colour_kind(image.get("/ColorSpace"), None)
    indexed_rgb = (
        isinstance(image.get("/ColorSpace"), Array)
        and image.ColorSpace[0] == Name.Indexed
        and colour_kind(image.ColorSpace[1], None) == "rgb"
    )
    has_mask = flatten and "/SMask" in image
    if kind != "rgb" and not indexed_rgb and not has_mask:
        return
    picture = pikepdf.PdfImage(image).as_pil_image()
    if has_mask:
        mask = pikepdf.PdfImage(image.SMask).as_pil_image().convert("L")
        mode = "CMYK" if picture.mode == "CMYK" else ("L" if picture.mode in ("L", "1") else "RGB")
        white: dict[str, int | tuple[int, ...]] = {"CMYK": (0, 0, 0, 0), "L": 255, "RGB": (255, 255, 255)}
        paper = Image.new(mode, picture.size, white[mode])
        picture = Image.composite(picture.convert(mode), paper, mask.resize(picture.size))
        del image["/SMask"]
    if picture.mode not in ("CMYK", "L"):
        picture = converter.image(picture)
    _write_image(image, picture)


def _write_image(image, picture: Image.Image) -> None:
    space = {"CMYK": Name.DeviceCMYK, "L": Name.DeviceGray}[picture.mode]
    image.write(zlib.compress(picture.tobytes(), 6), filter=Name.FlateDecode)
    image.ColorSpace = space
    image.BitsPerComponent = 8
    for key in ("/DecodeParms", "/Decode", "/SMaskInData"):
        if key in image:
            del image[key]
