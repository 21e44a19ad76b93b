"""RGB and Lab colours, and RGB images, converted to the output intent's CMYK (relative
colorimetric, black-point compensation); neutrals become K only.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from pikepdf import Array, Dictionary, Name
from PIL import Image, ImageCms

from leafpress.formats.print.pdfx.spec import PrintPdfError

NEUTRAL_TOLERANCE = 0.5 / 255


ColourKind = Literal["rgb", "lab-d50", "lab-d65", "other"]


@dataclass(frozen=True)
class ColourConverter:
    """Convert RGB and Lab colours to the output intent's CMYK.

    Lab transforms are built on first use, and each distinct colour is
    converted once (``_memo``, a cache), because Pillow re-serialises the
    output profile on every ``applyTransform``. ``for_profile`` hands every
    document of a process that uses the same profile the same converter, so
    the colours of the theme are converted once per process, not per document.
    """

    profile: ImageCms.ImageCmsProfile
    from_rgb: ImageCms.ImageCmsTransform
    _memo: dict = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def for_profile(cls, icc: bytes) -> ColourConverter:
        return _converter(icc)

    def rgb(self, r: float, g: float, b: float) -> tuple[float, float, float, float]:
        """CMYK for an sRGB colour (0..1); exact neutrals become K only."""
        if max(r, g, b) - min(r, g, b) <= NEUTRAL_TOLERANCE:
            return (0.0, 0.0, 0.0, round(1 - (r + g + b) / 3, 4))
        return self._pixel("rgb", self.from_rgb, (_byte(r), _byte(g), _byte(b)))

    def lab(self, kind: str, lightness: float, a: float, b: float) -> tuple[float, float, float, float]:
        """CMYK for a Lab colour relative to D50 (``lab-d50``) or D65 white."""
        if abs(a) < 0.5 and abs(b) < 0.5:  # neutral
            return (0.0, 0.0, 0.0, round(1 - max(0.0, min(100.0, lightness)) / 100, 4))
        if kind not in self._memo:
            white = 5000 if kind == "lab-d50" else 6500
            self._memo[kind] = _transform(ImageCms.createProfile("LAB", white), self.profile, "LAB")
        encoded = (
            max(0, min(255, round(lightness * 255 / 100))),
            max(0, min(255, round(a) + 128)),
            max(0, min(255, round(b) + 128)),
        )
        return self._pixel(kind, self._memo[kind], encoded)

    def _pixel(self, mode: str, transform, value: tuple[int, int, int]) -> tuple[float, float, float, float]:
        key = (mode, value)
        if key not in self._memo:
            pixel = Image.new("LAB" if mode.startswith("lab") else "RGB", (1, 1), value)
            self._memo[key] = _cmyk(_transformed(pixel, transform).getpixel((0, 0)))
        return self._memo[key]

    def image(self, image: Image.Image) -> Image.Image:
        """An RGB Pillow image converted to CMYK."""
        return _transformed(image.convert("RGB"), self.from_rgb)


def _transformed(image: Image.Image, transform) -> Image.Image:
    """``image`` through an ICC ``transform``, as a new image."""
    converted = ImageCms.applyTransform(image, transform)
    if converted is None:  # only when asked to convert in place, which leafpress never does
        raise PrintPdfError("the colour conversion returned no image")
    return converted


def _transform(source, cmyk, mode: str) -> ImageCms.ImageCmsTransform:
    return ImageCms.buildTransform(
        source, cmyk, mode, "CMYK",
        renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
        flags=ImageCms.Flags.BLACKPOINTCOMPENSATION,
    )


def _byte(value: float) -> int:
    return max(0, min(255, round(value * 255)))


@lru_cache(maxsize=4)
def _converter(icc: bytes) -> ColourConverter:
    cmyk = ImageCms.ImageCmsProfile(io.BytesIO(icc))
    return ColourConverter(cmyk, _transform(ImageCms.createProfile("sRGB"), cmyk, "RGB"))


def _cmyk(pixel) -> tuple[float, float, float, float]:
    return tuple(round(v / 255, 4) for v in pixel)


def colour_kind(space, resources) -> ColourKind:
    """Classify a colour space operand or object: RGB, Lab or anything else."""
    if isinstance(space, Name) and resources is not None:
        named = resources.get("/ColorSpace", Dictionary()).get(space)
        if named is not None:
            return colour_kind(named, None)
    if space in (Name.DeviceRGB, Name.RGB, Name.CalRGB):
        return "rgb"
    if isinstance(space, Array) and len(space) >= 2:
        family = space[0]
        if family == Name.CalRGB:
            return "rgb"
        if family == Name.ICCBased and int(space[1].get("/N", 0)) == 3:
            return "rgb"
        if family == Name.Lab:
            white = [float(v) for v in space[1].WhitePoint]
            return "lab-d50" if abs(white[2] - 0.8251) < 0.01 else "lab-d65"
    return "other"
