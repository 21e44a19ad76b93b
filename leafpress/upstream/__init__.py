"""Fixes to other libraries, each here until it is made upstream; the reports to send are the .md files."""
