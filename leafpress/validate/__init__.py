"""Checking finished outputs (PDF/UA, veraPDF, EPUBCheck, Ace) and what each reader gets from them."""
