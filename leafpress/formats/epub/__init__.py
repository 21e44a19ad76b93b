"""EPUB 3 booklets: several articles in one language with one shared reference list."""
