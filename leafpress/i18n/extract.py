"""Which texts are translatable, and the Babel extractors that hand them to pybabel.

Registered under ``babel.extractors`` (see pyproject.toml), so plain
``pybabel extract`` reads articles and YAML registries; every message gets
its file and line, and a translator comment saying what it is. The labels of
the block kinds come from blocks.py through :func:`extract_labels`, which
translations/ui.cfg names by its module path.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import yaml

from leafpress.markdown.blocks import registry
from leafpress.markdown.dialect import parse
from leafpress.markdown.segments import PART, Segment, body_segments, normalize
from leafpress.source.frontmatter import split_front_matter
from leafpress.source.glossary import text_segments as glossary_text_segments
from leafpress.source.project import Article
from leafpress.source.yamlfile import compose, read_text

TRANSLATABLE_YAML_KEYS = ("title", "description", "name", "hours")
FRONT_MATTER_KEYS = ("title", "summary", "owner", "keywords")
#: keys whose value is a list of texts, one message each, with the translator comment shown
TEXT_LIST_KEYS = {"keywords": "keyword (a search word in the PDF's and e-book's properties; not printed)"}
_TEXT_TAGS = ("tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float")


def source_segments(text: str) -> list[Segment]:
    """Every segment of an article's text in file order: title, summary, keywords, then the body."""
    front, body, body_line = split_front_matter(text)
    head = _yaml_segments(front, 1, FRONT_MATTER_KEYS) if front is not None else []
    return head + body_segments(parse(body, {}), body_line)


def article_segments(article: Article) -> list[Segment]:
    return source_segments(article.source)


def image_segments(markdown: str) -> list[Segment] | None:
    """The messages of a text that is one image, None for any other text.

    A figure ("![alt](src "Caption")") gives its description and its caption,
    a decorative image none: what make translations splits an old message
    into (see :func:`leafpress.i18n.tasks.split_image_messages`).
    """
    tokens = parse(markdown, {})
    kinds = [t.type for t in tokens]
    figure = kinds[:1] == ["figure_open"] and kinds[-1:] == ["figure_close"] and kinds.count("figure_open") == 1
    decorative = kinds == ["paragraph_open", "inline", "paragraph_close"] and PART in tokens[1].meta
    return body_segments(tokens, 1) if figure or decorative else None


def _yaml_segments(text: str, line_offset: int, keys: tuple[str, ...]) -> list[Segment]:
    root, problems = compose(text, "", line_offset)
    if problems:  # the build reports them (yamlfile.py); nothing is extracted from such a file
        return []
    segments: list[Segment] = []

    def walk(node: yaml.Node, path: tuple[str, ...]) -> None:
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                key = str(key_node.value)
                if (key in keys and isinstance(value_node, yaml.ScalarNode)
                        and value_node.tag == "tag:yaml.org,2002:str" and value_node.value.strip()):
                    kind = ": ".join((*path, key))
                    segments.append(Segment(normalize(value_node.value),
                                            value_node.start_mark.line + 1 + line_offset, kind))
                elif key in keys and key in TEXT_LIST_KEYS and isinstance(value_node, yaml.SequenceNode):
                    segments.extend(Segment(normalize(item.value), item.start_mark.line + 1 + line_offset,
                                            TEXT_LIST_KEYS[key])
                                    for item in value_node.value
                                    if isinstance(item, yaml.ScalarNode) and item.tag in _TEXT_TAGS
                                    and item.value.strip())
                else:
                    walk(value_node, (*path, key))
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                walk(item, path)

    if root is not None:
        walk(root, ())
    return segments


def yaml_file_segments(path: Path) -> list[Segment]:
    """The translatable texts of a help-line or booklet file (none if it cannot be read: the build says why)."""
    text, _problems = read_text(path)
    return [] if text is None else _yaml_segments(text, 0, TRANSLATABLE_YAML_KEYS)


def _as_babel(segments: list[Segment]) -> Iterator[tuple[int, str, str, list[str]]]:
    for segment in segments:
        yield segment.line, "", segment.text, [segment.kind]


def extract_markdown(fileobj: IO[bytes], keywords: Any, comment_tags: Any,
                     options: dict[str, Any]) -> Iterator[tuple[int, str, str, list[str]]]:
    """Babel extractor for leafpress articles."""
    yield from _as_babel(source_segments(fileobj.read().decode(options.get("encoding", "utf-8"))))


def extract_yaml(fileobj: IO[bytes], keywords: Any, comment_tags: Any,
                 options: dict[str, Any]) -> Iterator[tuple[int, str, str, list[str]]]:
    """Babel extractor for help lines and booklets (keys: title, description, name, hours), and for
    the glossary (``kind = glossary``: each word with its forms, and its explanation)."""
    text = fileobj.read().decode(options.get("encoding", "utf-8"))
    if options.get("kind") == "glossary":  # [leafpress_yaml: glossary.yaml] kind = glossary
        yield from _as_babel(glossary_text_segments(text))
        return
    keys = tuple(k.strip() for k in options.get("keys", ",".join(TRANSLATABLE_YAML_KEYS)).split(","))
    yield from _as_babel(_yaml_segments(text, 0, keys))


#: the line of templates/labels.html that says where the block labels are: their place in the catalogs
LABELS_POINTER = "leafpress/markdown/blocks.py"


def extract_labels(fileobj: IO[bytes], keywords: Any, comment_tags: Any,
                   options: dict[str, Any]) -> Iterator[tuple[int, str, Any, list[str]]]:
    """Babel extractor for templates/labels.html: its own strings (Jinja's extractor), then the
    label of every block kind (blocks.py) with its translator comment, at the line of the
    template that points to blocks.py."""
    from jinja2.ext import babel_extract  # here: every build reads this module, only extraction needs Jinja

    data = fileobj.read()
    yield from babel_extract(io.BytesIO(data), keywords, comment_tags, options)
    lines = data.decode(options.get("encoding", "utf-8")).splitlines()
    line = next((number for number, text in enumerate(lines, 1) if LABELS_POINTER in text), 1)
    for block in registry().kinds:
        yield line, "gettext", block.label, [block.label_comment]
