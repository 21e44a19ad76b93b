"""The screen leaflet: a WeasyPrint layout written as a tagged PDF/UA-1 file."""
