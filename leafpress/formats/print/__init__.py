"""The print-shop PDF (PDF/X), the office brochure, and the print preflight."""
