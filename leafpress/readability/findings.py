"""The warnings of the plain-language measures (``plain.*``), at the lines they are about."""

from __future__ import annotations

from collections.abc import Sequence

from leafpress.diagnostics import Diagnostic, warning
from leafpress.readability.difficult_words import difficult_words
from leafpress.readability.figures import Figures
from leafpress.readability.prose import Prose
from leafpress.source.project import Readability


def sentence_findings(figures: Figures, limits: Readability) -> list[Diagnostic]:
    """The sentence-length warnings, the ones that mean the same in every language."""
    path, found = figures.path, []
    share = figures.long_sentence_share(limits.sentence_max)
    if share > limits.long_sentence_share_max:
        found.append(warning(path, figures.first_line, "plain.sentence",
                             f"{share:.0%} of the sentences have more than {limits.sentence_max} words "
                             f"(at most {limits.long_sentence_share_max:.0%})"))
    for sentence in figures.sentences:
        if len(sentence.words) > limits.sentence_max:
            found.append(warning(path, sentence.line, "plain.sentence",
                                 f"sentence of {len(sentence.words)} words (more than {limits.sentence_max}): "
                                 f"{_quoted(sentence.text)}; split it"))
    return found


def findings(figures: Figures, blocks: Sequence[Prose], limits: Readability,
             explained: frozenset[str]) -> list[Diagnostic]:
    """The warnings of one Dutch article, in line order."""
    path, found = figures.path, []
    if figures.sentences and figures.flesch_douma < limits.flesch_min:
        found.append(warning(path, figures.first_line, "plain.flesch",
                             f"Flesch-Douma {figures.flesch_douma:.1f} is below {limits.flesch_min:g}: the text is "
                             "harder than plain Dutch; shorter sentences and shorter words raise it"))
    found += sentence_findings(figures, limits)
    for box in figures.boxes:
        if box.items > limits.keypoints_max:
            found.append(warning(path, box.line, "plain.keypoints",
                                 f"{box.items} key points in this box (at most {limits.keypoints_max}); "
                                 f"keep the {limits.keypoints_max} that matter most"))
    for section in figures.sections:
        if section.blocks > limits.section_paragraphs_max:
            found.append(warning(path, section.line, "plain.section",
                                 f"section '{section.title}' has {section.blocks} paragraphs, list items and box texts "
                                 f"(at most {limits.section_paragraphs_max}); split it under a new heading"))
    for word in difficult_words(blocks, explained, limits.rare_zipf_max):
        of = f" of '{word.part}'" if word.part != word.word else ""
        found.append(warning(path, word.line, "plain.word",
                             f"'{word.word}' is probably unknown to a B1 reader (Zipf frequency {word.zipf:.2f}{of} "
                             f"in Dutch, under {limits.rare_zipf_max:g}); explain it where it is "
                             "first used or in content/glossary.yaml, or use a simpler word"))
    return sorted(found, key=lambda d: d.line or 0)


def _quoted(text: str, width: int = 60) -> str:
    return f"'{text}'" if len(text) <= width else f"'{text[:width - 1].rstrip()}…'"
