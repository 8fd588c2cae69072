"""Stage 1 over a whole raw folder, strict or keep-going: which articles make it into the tables.

Strict (the default), the first bad article stops the build. With ``keep_going`` a bad article (one the
parser or extractor rejects, one whose id clashes with an earlier article's, one whose own rows fail
validation) is set aside with its reason, and the rest is built.
"""

from __future__ import annotations

from pipeline.errors import PipelineError


def extract_corpus(raw, keep_going: bool = False) -> tuple[dict, list[str], list[tuple[str, PipelineError]]]:
    """Raw articles (source_path, path, sha256, text) → (tables, warnings, rejected)."""
    from pipeline.extract import combine, extract_text

    kept, warnings, rejected = [], [], []
    seen_ids: dict[str, str] = {}
    for source_path, path, sha256, text in zip(raw["source_path"], raw["path"], raw["sha256"], raw["text"]):
        try:
            article = extract_text(text, path, sha256, source_path)
            document_id = article.rows["documents"][0][0]
            if document_id in seen_ids:
                raise PipelineError(f"has the same document id '{document_id}' as {seen_ids[document_id]}; "
                                    "rename one of them", path)
            if keep_going:
                _check_alone(article, text, path)
        except PipelineError as error:
            if not keep_going:
                raise
            rejected.append((source_path, error))
            continue
        seen_ids[document_id] = path
        kept.append(article)
        warnings += article.warnings
    return combine(kept), warnings, rejected


def _check_alone(article, text: str, path: str) -> None:
    """Validate one article's rows on their own, so that a keep-going build can set it aside."""
    from pipeline.extract import combine
    from pipeline.validate import ValidationFailed, find_problems

    tables = combine([article])
    document_id = article.rows["documents"][0][0]
    problems = find_problems(tables, {document_id: text}, expected=list(tables))
    if len(problems):
        first = problems.iloc[0]
        failure = ValidationFailed(problems)
        raise PipelineError(f"{failure.message}; first: {first['table']}.{first['column']} fails "
                            f"{first['check']} with '{first['value']}'", path)
