"""leafpress.upstream.citeproc_macros: the macro index finds what citeproc-py's XPath finds."""

from citeproc import CitationStylesStyle
from citeproc.model import CitationStylesElement

from leafpress.cite.engine import DEFAULT_STYLE
from leafpress.upstream.citeproc_macros import macro_by_name


def xpath_macro(element, name):
    return element.get_root().xpath_search(f"cs:macro[@name='{name}'][1]")[0]


def test_every_macro_of_the_style_is_the_one_xpath_finds():
    style = CitationStylesStyle(str(DEFAULT_STYLE), locale="nl-NL", validate=False)
    names = [m.get("name") for m in style.root.iterfind("cs:macro", style.root.nsmap)]
    assert len(names) > 20
    deep = next(style.root.bibliography.iter())  # any element: the index is the root's
    for name in names:
        assert macro_by_name(deep, name) is xpath_macro(style.root, name)


def test_each_style_has_its_own_index():
    dutch = CitationStylesStyle(str(DEFAULT_STYLE), locale="nl-NL", validate=False)
    english = CitationStylesStyle(str(DEFAULT_STYLE), locale="en-US", validate=False)
    assert macro_by_name(dutch.root, "author").getroottree().getroot() is dutch.root
    assert macro_by_name(english.root, "author").getroottree().getroot() is english.root


def test_citeproc_uses_the_index_once_leafpress_formats():
    from leafpress.cite.bibliography import parse_bibliography
    from leafpress.cite.engine import find_citations, render_citations

    bibliography, problems = parse_bibliography(
        "- id: a\n  type: book\n  title: Een boek over macro's\n  author: [{family: Jansen, given: Anna}]\n"
        "  issued: {date-parts: [[2020]]}\n  publisher: Uitgeverij\n", "references.yaml")
    assert not problems
    rendered = render_citations(bibliography, "nl", find_citations("[@a]"))
    assert CitationStylesElement.get_macro is macro_by_name
    assert rendered.entries[0].html.startswith("Jansen, A. (2020).")
