"""``/Lang`` values: well-formed BCP 47 tags (the RFC 5646 grammar, not the registry)."""

from __future__ import annotations

import re

# RFC 5646 well-formedness (not registry validity), case-insensitive.
BCP47 = re.compile(r"""
    (?:
      (?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})   # language, extlangs
      (?:-[a-z]{4})?                                      # script
      (?:-(?:[a-z]{2}|[0-9]{3}))?                         # region
      (?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*            # variants
      (?:-[0-9a-wyz](?:-[a-z0-9]{2,8})+)*                 # extensions
      (?:-x(?:-[a-z0-9]{1,8})+)?                          # private use
    | x(?:-[a-z0-9]{1,8})+
    | en-gb-oed | i-(?:ami|bnn|default|enochian|hak|klingon|lux|mingo|navajo|pwn|tao|tay|tsu)
    | sgn-(?:be-fr|be-nl|ch-de)
    )""", re.VERBOSE | re.IGNORECASE)


def well_formed_lang(value: str) -> bool:
    return BCP47.fullmatch(value) is not None
