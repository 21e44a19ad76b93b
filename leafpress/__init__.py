"""leafpress: patient-information articles to accessible PDF leaflets and EPUB booklets."""

__version__ = "0.1.0"
