"""The outputs, one subpackage per format, and the paper sizes they share."""
