"""The render stage: Jinja templates to HTML, with the fonts, glyphs and QR code it needs."""
