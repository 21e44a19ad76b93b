"""Reading the project and checking it: site, articles, front matter, glossary, links."""
