"""The cite stage: pandoc citation syntax, the shared bibliography, APA 7 through citeproc-py."""
