"""Plain-language figures of the articles and their translations (``build.py readability``)."""
