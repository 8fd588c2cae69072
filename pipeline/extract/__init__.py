"""Stage 1, extract: an article's document model → named rows of the dataset's tables (see
:mod:`pipeline.extract.rules` for the rules, which read structure and plain language, never a list of an
article's items)."""

from __future__ import annotations

from pipeline.document import Document, Kind
from pipeline.extract import rules
from pipeline.extract.ids import document_id, slug
from schemas.records import DocumentRow

TABLE_NAMES = ("documents", "therapies", "conditions", "indications", "side_effects",
               "therapy_side_effects", "side_effect_examples", "decision_factors", "faqs")
ENTITIES = {"therapies": "therapy_id", "conditions": "condition_id", "side_effects": "side_effect_id"}
# Rows that repeat these columns within an article repeat a section printed twice: the first is kept.
REPEATS = {"therapies": ("therapy_id",), "conditions": ("condition_id",), "side_effects": ("side_effect_id",),
           "indications": ("document_id", "therapy_id", "condition_id"),
           "therapy_side_effects": ("document_id", "therapy_id", "side_effect_id", "frequency", "seriousness"),
           "side_effect_examples": ("document_id", "therapy_id", "side_effect_id", "example"),
           "decision_factors": ("label", "text"), "faqs": ("question", "answer")}
CASE_BLIND = ("example", "label", "text", "question", "answer")  # compared without regard to case
RENUMBERED = {"side_effect_examples": ("document_id", "therapy_id", "side_effect_id"),
              "decision_factors": (), "faqs": ()}  # positions close up within these groups

__all__ = ["ENTITIES", "TABLE_NAMES", "Extracted", "document_id", "extract_document", "slug"]


class Extracted(rules.Rows):
    """One article's rows by table (named records of :mod:`schemas.records`), and its warnings."""

    def __init__(self):
        super().__init__(TABLE_NAMES)


def extract_document(doc: Document, doc_id: str, sha256: str, source_path: str) -> Extracted:
    """All rows one article gives."""
    out = Extracted()
    title = doc.title
    out.rows["documents"].append(DocumentRow(
        document_id=doc_id, title=title.value, disclaimer=doc.disclaimer.value if doc.disclaimer else None,
        source_path=source_path, sha256=sha256, n_chars=len(doc.text), n_lines=doc.n_lines, line=title.line,
        char_start=title.start, char_end=title.end))
    classes = rules.compared_classes(doc)
    rules.therapies(doc, doc_id, classes, out)
    for section in doc.sections:
        heading = section.heading
        if heading is None:
            continue
        if heading.kind is Kind.QA_HEADING:
            rules.faqs(section, doc, doc_id, out)
            continue
        rules.side_effects(section, doc, doc_id, classes, out)
        if rules.INDICATION_HEADING.search(heading.span.value) and not rules.SIDE_EFFECTS.search(heading.span.value):
            owner = classes.mentioned(heading.span.value)
            if len(owner) == 1:
                before = len(out.rows["indications"])
                rules.indications(section, doc_id, classes.ids[owner[0]], out)
                if len(out.rows["indications"]) == before:
                    out.warnings.append(f"{doc.path}:{heading.span.line}: a heading on what an approach treats "
                                        "with no conditions under it; no indications read there")
    rules.decision_factors(doc, doc_id, out)
    _drop_repeats(out)
    return out


def _drop_repeats(out: Extracted) -> None:
    """Keep the first of rows that repeat (see ``REPEATS``) within the article; positions close up."""
    for table, columns in REPEATS.items():
        seen, kept = set(), []
        for row in out.rows[table]:
            key = tuple(getattr(row, c).casefold() if c in CASE_BLIND else getattr(row, c) for c in columns)
            if key not in seen:
                seen.add(key)
                kept.append(row)
        if table in RENUMBERED:
            counters: dict[tuple, int] = {}
            group = RENUMBERED[table]
            for index, row in enumerate(kept):
                key = tuple(getattr(row, c) for c in group)
                counters[key] = counters.get(key, 0) + 1
                kept[index] = row._replace(position=counters[key])
        out.rows[table] = kept
