"""The Markdown dialect: markdown-it-py with the leafpress blocks, figures, placeholders, segments and HTML rules."""
