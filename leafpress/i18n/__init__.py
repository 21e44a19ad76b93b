"""Translations: gettext catalogs and their checks, the Babel extractors, and the translate stage."""
