"""The dataset's tables: the single source of truth for columns, types, constraints and meaning.

Every other description of the data (Parquet metadata, datapackage.json, croissant.json, the dataset
card) is generated from these models. ``Config.unique`` is each table's primary key. Table-level facts
that pandera has no slot for live in ``Config.metadata``: ``foreign_keys`` (column → (table, column)),
``spans``, the provenance spans to check against the article: (text column, start column, end column,
line column or None), the row's own surface text first.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pdr
from pandera.dtypes import immutable
from pandera.engines import pandas_engine
from pandera.typing import Series


@immutable(init=True)
class Text(pandas_engine.STRING):
    """A text column: pandas' ``str`` (Arrow-backed), as ``Series[Text]`` would declare it, its dtype checked
    once for the whole column.

    For a column that has the right dtype, pandera's own check answers with one ``True`` per value, and
    pandera then formats the (empty) table of failing values into a message it does not show: 40% of the
    time it takes to validate a small table. This answers ``True`` or ``False`` for the column; a column
    that fails goes on to be reported value by value, as pandera reports a column of the wrong dtype.
    """

    def check(self, pandera_dtype, data_container=None):
        verdict = super().check(pandera_dtype, data_container)
        return verdict if isinstance(verdict, bool) else bool(verdict.all())


SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
SHA256 = r"^[0-9a-f]{64}$"

LEVELS = {
    "class": "One of the two approaches that the article's title compares.",
    "type": "A kind of a class that the article enumerates (`types of X, including A, B and C`).",
}
IMMUNE_EFFECTS = {
    "enhance": "The article says the approach boosts, enhances or stimulates the immune response.",
    "suppress": "The article says the approach suppresses, dampens or inhibits the immune response.",
}
FREQUENCIES = {
    "common": "Listed under a heading that calls these side effects common.",
    "less_common": "Listed under a heading that calls these side effects less common, uncommon or rare.",
    "not_stated": "The heading the item is listed under says nothing about frequency.",
}
SERIOUSNESS = {
    "serious": "Listed under a heading that calls these side effects serious.",
    "not_stated": "The heading the item is listed under says nothing about seriousness.",
}


def _id(what: str) -> object:
    return pdr.Field(str_matches=SLUG, title=f"{what.capitalize()} id",
                     description=f"Slug of the {what}'s name: the same name in two articles gets the same id.")


def _document_id() -> object:
    return pdr.Field(str_matches=SLUG, title="Document id",
                     description="The article the row was read from (documents.document_id).")


def _line(what: str = "the row's surface text") -> object:
    return pdr.Field(ge=1, title="Line",
                     description=f"1-based line of the article on which {what} starts.")


def _char_start(what: str = "the row's surface text") -> object:
    return pdr.Field(ge=0, title="Start offset",
                     description=f"Offset of the first character of {what} in the article's decoded text "
                                 "(Python string index; BOM removed, line ends kept).")


def _char_end(what: str = "the row's surface text") -> object:
    return pdr.Field(ge=1, title="End offset",
                     description=f"Offset one past the last character of {what}: "
                                 "text[char_start:char_end] is exactly that text.")


def _category(vocabulary: dict[str, str], **kw) -> object:
    return pdr.Field(dtype_kwargs={"categories": list(vocabulary), "ordered": True},
                     metadata={"categories": vocabulary}, **kw)


class Documents(pdr.DataFrameModel):
    document_id: Series[Text] = pdr.Field(str_matches=SLUG, title="Document id",
                                         description="Slug of the article's file name without `.txt`.")
    title: Series[Text] = pdr.Field(str_length={"min_value": 1}, title="Title",
                                   description="The article's title: its first non-blank line.")
    disclaimer: Series[Text] = pdr.Field(nullable=True, title="Disclaimer",
                                        description="The site's disclaimer line under the title, verbatim; "
                                                    "empty where the article has none.")
    source_path: Series[Text] = pdr.Field(title="Source path",
                                         description="The article's file name inside the raw folder.")
    sha256: Series[Text] = pdr.Field(str_matches=SHA256, title="SHA-256",
                                    description="SHA-256 of the article file's bytes, as hex.")
    n_chars: Series[int] = pdr.Field(ge=1, title="Characters",
                                     description="Length of the decoded text in characters.")
    n_lines: Series[int] = pdr.Field(ge=1, title="Lines", description="Number of lines in the article.")
    line: Series[int] = _line("the title")
    char_start: Series[int] = _char_start("the title")
    char_end: Series[int] = _char_end("the title")

    class Config:
        strict = True
        title = "Documents"
        description = "One row per article read: where it came from and its fingerprint."
        unique = ["document_id"]
        metadata = {"foreign_keys": {},
                    "spans": [("title", "char_start", "char_end", "line")]}


class Therapies(pdr.DataFrameModel):
    therapy_id: Series[Text] = _id("therapy")
    name: Series[Text] = pdr.Field(title="Name", description="The therapy's name as first written.")
    level: Series[pd.CategoricalDtype] = _category(
        LEVELS, title="Level", description="`class` for a compared approach, `type` for a kind of one.")
    parent_id: Series[Text] = pdr.Field(
        nullable=True, str_matches=SLUG, title="Parent therapy",
        description="For a type, the class it is a type of (therapies.therapy_id); empty for a class.")
    immune_effect: Series[pd.CategoricalDtype] = _category(
        IMMUNE_EFFECTS, nullable=True, title="Immune effect",
        description="What the article says the approach does to the immune response; empty where it "
                    "says neither.")
    immune_effect_word: Series[Text] = pdr.Field(
        nullable=True, title="Immune effect word",
        description="The word that states the immune effect, verbatim (e.g. `suppress`); empty with "
                    "immune_effect.")
    immune_effect_line: Series[pd.Int64Dtype] = pdr.Field(
        nullable=True, ge=1, title="Immune effect line",
        description="Line of the word that states the immune effect; empty with immune_effect.")
    immune_effect_char_start: Series[pd.Int64Dtype] = pdr.Field(
        nullable=True, ge=0, title="Immune effect start",
        description="Offset of the word that states the immune effect (e.g. `suppress`).")
    immune_effect_char_end: Series[pd.Int64Dtype] = pdr.Field(
        nullable=True, ge=1, title="Immune effect end",
        description="Offset one past the word that states the immune effect.")
    document_id: Series[Text] = _document_id()
    line: Series[int] = _line("the name's first mention")
    char_start: Series[int] = _char_start("the name's first mention")
    char_end: Series[int] = _char_end("the name's first mention")

    class Config:
        strict = True
        title = "Therapies"
        description = ("The two approaches each article compares (level `class`) and the kinds of each it "
                       "enumerates (level `type`); one row per therapy across the corpus, with the place "
                       "of its first mention.")
        unique = ["therapy_id"]
        metadata = {"foreign_keys": {"parent_id": ("therapies", "therapy_id"),
                                     "document_id": ("documents", "document_id")},
                    "spans": [("name", "char_start", "char_end", "line"),
                              ("immune_effect_word", "immune_effect_char_start", "immune_effect_char_end",
                               "immune_effect_line")]}


class Conditions(pdr.DataFrameModel):
    condition_id: Series[Text] = _id("condition")
    name: Series[Text] = pdr.Field(title="Name", description="The condition's name as first written.")
    parent_id: Series[Text] = pdr.Field(
        nullable=True, str_matches=SLUG, title="Group",
        description="The group (a subheading such as `Cancer:`) the condition is listed under "
                    "(conditions.condition_id); empty for a group or an ungrouped condition.")
    document_id: Series[Text] = _document_id()
    line: Series[int] = _line("the name's first mention")
    char_start: Series[int] = _char_start("the name's first mention")
    char_end: Series[int] = _char_end("the name's first mention")

    class Config:
        strict = True
        title = "Conditions"
        description = ("Conditions an approach is said to treat, and the groups (subheadings) they are "
                       "listed under; one row per condition across the corpus.")
        unique = ["condition_id"]
        metadata = {"foreign_keys": {"parent_id": ("conditions", "condition_id"),
                                     "document_id": ("documents", "document_id")},
                    "spans": [("name", "char_start", "char_end", "line")]}


class Indications(pdr.DataFrameModel):
    document_id: Series[Text] = _document_id()
    therapy_id: Series[Text] = pdr.Field(str_matches=SLUG, title="Therapy",
                                        description="The approach (therapies.therapy_id).")
    condition_id: Series[Text] = pdr.Field(str_matches=SLUG, title="Condition",
                                          description="What it is said to treat (conditions.condition_id).")
    item_text: Series[Text] = pdr.Field(title="Item text", description="The condition as listed, verbatim.")
    line: Series[int] = _line("the listed condition")
    char_start: Series[int] = _char_start("the listed condition")
    char_end: Series[int] = _char_end("the listed condition")

    class Config:
        strict = True
        title = "Indications"
        description = "What each approach is said to treat or be used for, one row per article and pair."
        unique = ["document_id", "therapy_id", "condition_id"]
        metadata = {"foreign_keys": {"document_id": ("documents", "document_id"),
                                     "therapy_id": ("therapies", "therapy_id"),
                                     "condition_id": ("conditions", "condition_id")},
                    "spans": [("item_text", "char_start", "char_end", "line")]}


class SideEffects(pdr.DataFrameModel):
    side_effect_id: Series[Text] = _id("side effect")
    name: Series[Text] = pdr.Field(title="Name",
                                  description="The side effect's name as first listed, without its examples.")
    document_id: Series[Text] = _document_id()
    line: Series[int] = _line("the name's first mention")
    char_start: Series[int] = _char_start("the name's first mention")
    char_end: Series[int] = _char_end("the name's first mention")

    class Config:
        strict = True
        title = "Side effects"
        description = "Every side effect listed in the corpus, one row per side effect."
        unique = ["side_effect_id"]
        metadata = {"foreign_keys": {"document_id": ("documents", "document_id")},
                    "spans": [("name", "char_start", "char_end", "line")]}


class TherapySideEffects(pdr.DataFrameModel):
    document_id: Series[Text] = _document_id()
    therapy_id: Series[Text] = pdr.Field(str_matches=SLUG, title="Therapy",
                                        description="The approach the list belongs to (therapies.therapy_id).")
    side_effect_id: Series[Text] = pdr.Field(str_matches=SLUG, title="Side effect",
                                            description="The listed side effect (side_effects.side_effect_id).")
    frequency: Series[pd.CategoricalDtype] = _category(
        FREQUENCIES, title="Frequency", description="How often, as the list's heading says.")
    seriousness: Series[pd.CategoricalDtype] = _category(
        SERIOUSNESS, title="Seriousness", description="How serious, as the list's heading says.")
    position: Series[int] = pdr.Field(ge=1, title="Position",
                                      description="The item's number in a numbered list, or its bullet order.")
    source_heading: Series[Text] = pdr.Field(
        title="Source heading",
        description="The heading (or the lead-in sentence ending in `:`) the item is listed under, verbatim.")
    item_text: Series[Text] = pdr.Field(title="Item text", description="The listed item, verbatim.")
    line: Series[int] = _line("the listed item")
    char_start: Series[int] = _char_start("the listed item")
    char_end: Series[int] = _char_end("the listed item")

    class Config:
        strict = True
        title = "Therapy side effects"
        description = ("The side-effect severity table: each side effect listed for an approach, with the "
                       "frequency and seriousness that its heading gives, and nothing beyond.")
        unique = ["document_id", "therapy_id", "side_effect_id", "frequency", "seriousness"]
        metadata = {"foreign_keys": {"document_id": ("documents", "document_id"),
                                     "therapy_id": ("therapies", "therapy_id"),
                                     "side_effect_id": ("side_effects", "side_effect_id")},
                    "spans": [("item_text", "char_start", "char_end", "line")]}


class SideEffectExamples(pdr.DataFrameModel):
    document_id: Series[Text] = _document_id()
    therapy_id: Series[Text] = pdr.Field(str_matches=SLUG, title="Therapy",
                                        description="The approach whose list names the example.")
    side_effect_id: Series[Text] = pdr.Field(str_matches=SLUG, title="Side effect",
                                            description="The side effect exemplified (side_effects.side_effect_id).")
    position: Series[int] = pdr.Field(ge=1, title="Position",
                                      description="The example's order within its list item.")
    example: Series[Text] = pdr.Field(title="Example",
                                     description="One example the item gives (`such as A or B`), verbatim.")
    line: Series[int] = _line("the example")
    char_start: Series[int] = _char_start("the example")
    char_end: Series[int] = _char_end("the example")

    class Config:
        strict = True
        title = "Side-effect examples"
        description = "Examples a side-effect item gives: `Skin reactions, such as rash or itching`."
        unique = ["document_id", "therapy_id", "side_effect_id", "position"]
        metadata = {"foreign_keys": {"document_id": ("documents", "document_id"),
                                     "therapy_id": ("therapies", "therapy_id"),
                                     "side_effect_id": ("side_effects", "side_effect_id")},
                    "spans": [("example", "char_start", "char_end", "line")]}


class DecisionFactors(pdr.DataFrameModel):
    document_id: Series[Text] = _document_id()
    position: Series[int] = pdr.Field(ge=1, title="Position", description="The factor's order in the article.")
    label: Series[Text] = pdr.Field(title="Label", description="The factor's label, before the colon.")
    text: Series[Text] = pdr.Field(title="Text", description="What the article says of it, after the colon.")
    source_heading: Series[Text] = pdr.Field(title="Source heading",
                                            description="The heading the factor is listed under, verbatim.")
    line: Series[int] = _line("the label")
    char_start: Series[int] = _char_start("the label")
    char_end: Series[int] = _char_end("the label")
    text_char_start: Series[int] = _char_start("the text")
    text_char_end: Series[int] = _char_end("the text")

    class Config:
        strict = True
        title = "Decision factors"
        description = "The `Label: text` list of things to weigh when choosing between the approaches."
        unique = ["document_id", "position"]
        metadata = {"foreign_keys": {"document_id": ("documents", "document_id")},
                    "spans": [("label", "char_start", "char_end", "line"),
                              ("text", "text_char_start", "text_char_end", None)]}


class Faqs(pdr.DataFrameModel):
    document_id: Series[Text] = _document_id()
    position: Series[int] = pdr.Field(ge=1, title="Position", description="The pair's order in the article.")
    question: Series[Text] = pdr.Field(title="Question", description="The question, verbatim.")
    answer: Series[Text] = pdr.Field(title="Answer",
                                    description="The answer: the text between this question and the next.")
    line: Series[int] = _line("the question")
    char_start: Series[int] = _char_start("the question")
    char_end: Series[int] = _char_end("the question")
    answer_char_start: Series[int] = _char_start("the answer")
    answer_char_end: Series[int] = _char_end("the answer")

    class Config:
        strict = True
        title = "Questions and answers"
        description = "The article's question and answer pairs."
        unique = ["document_id", "position"]
        metadata = {"foreign_keys": {"document_id": ("documents", "document_id")},
                    "spans": [("question", "char_start", "char_end", "line"),
                              ("answer", "answer_char_start", "answer_char_end", None)]}


ONTOLOGY_PREFIXES = {
    "HP": "Human Phenotype Ontology.",
    "DOID": "Human Disease Ontology.",
}
MATCH_ON = {
    "label": "The text equals the term's label (after normalising case, spaces, apostrophes and plurals).",
    "synonym": "The text equals one of the term's synonyms; synonym_scope says how close the synonym is.",
    "replaced_by": "The text names an obsolete term; the row gives the term that replaced it.",
}
SYNONYM_SCOPES = {
    "EXACT": "The synonym means exactly the term.",
    "RELATED": "The synonym is related to the term but not the same: a match of lower precision.",
    "NARROW": "The synonym is narrower than the term: a match of lower precision.",
    "BROAD": "The synonym is broader than the term: a match of lower precision.",
}
TERM_ID = r"^(HP|DOID):[0-9]+$"


def _term_fields() -> dict:
    return {
        "ontology": _category(ONTOLOGY_PREFIXES, title="Ontology", description="The ontology of the term."),
        "term_id": pdr.Field(str_matches=TERM_ID, title="Term id", description="The term's id, e.g. `HP:0012378`."),
        "term_label": pdr.Field(title="Term label", description="The term's label in the ontology release used."),
        "match_on": _category(MATCH_ON, title="Matched on", description="How the match was made."),
        "synonym_scope": _category(SYNONYM_SCOPES, nullable=True, title="Synonym scope",
                                   description="The scope of the matching synonym; empty for a label match."),
        "matched_text": pdr.Field(title="Matched text",
                                  description="The part of the article's text that matched (the whole name, or "
                                              "one part of an `A or B` name)."),
    }


class SideEffectTerms(pdr.DataFrameModel):
    side_effect_id: Series[Text] = pdr.Field(str_matches=SLUG, title="Side effect",
                                            description="The side effect (side_effects.side_effect_id).")
    source: Series[pd.CategoricalDtype] = _category(
        {"name": "The side effect's own name matched.", "example": "One of its examples matched."},
        title="Source", description="Whether the side effect's name or one of its examples matched.")
    source_text: Series[Text] = pdr.Field(title="Source text",
                                         description="The name or the example that was matched, verbatim.")
    ontology: Series[pd.CategoricalDtype] = _term_fields()["ontology"]
    term_id: Series[Text] = _term_fields()["term_id"]
    term_label: Series[Text] = _term_fields()["term_label"]
    match_on: Series[pd.CategoricalDtype] = _term_fields()["match_on"]
    synonym_scope: Series[pd.CategoricalDtype] = _term_fields()["synonym_scope"]
    matched_text: Series[Text] = _term_fields()["matched_text"]
    document_id: Series[Text] = _document_id()
    line: Series[int] = _line("the matched text")
    char_start: Series[int] = _char_start("the matched text")
    char_end: Series[int] = _char_end("the matched text")

    class Config:
        strict = True
        title = "Side-effect terms"
        description = ("Side effects and their examples linked to Human Phenotype Ontology terms by exact "
                       "matching of labels and synonyms; no match, no row.")
        unique = ["side_effect_id", "source_text", "ontology"]
        metadata = {"foreign_keys": {"side_effect_id": ("side_effects", "side_effect_id"),
                                     "document_id": ("documents", "document_id")},
                    "spans": [("matched_text", "char_start", "char_end", "line")]}


class ConditionTerms(pdr.DataFrameModel):
    condition_id: Series[Text] = pdr.Field(str_matches=SLUG, title="Condition",
                                          description="The condition (conditions.condition_id).")
    ontology: Series[pd.CategoricalDtype] = _term_fields()["ontology"]
    term_id: Series[Text] = _term_fields()["term_id"]
    term_label: Series[Text] = _term_fields()["term_label"]
    match_on: Series[pd.CategoricalDtype] = _term_fields()["match_on"]
    synonym_scope: Series[pd.CategoricalDtype] = _term_fields()["synonym_scope"]
    matched_text: Series[Text] = _term_fields()["matched_text"]
    document_id: Series[Text] = _document_id()
    line: Series[int] = _line("the matched text")
    char_start: Series[int] = _char_start("the matched text")
    char_end: Series[int] = _char_end("the matched text")

    class Config:
        strict = True
        title = "Condition terms"
        description = ("Conditions linked to Human Phenotype Ontology and Disease Ontology terms by exact "
                       "matching of labels and synonyms; at most one row per ontology, none without a match.")
        unique = ["condition_id", "ontology"]
        metadata = {"foreign_keys": {"condition_id": ("conditions", "condition_id"),
                                     "document_id": ("documents", "document_id")},
                    "spans": [("matched_text", "char_start", "char_end", "line")]}


class TermXrefs(pdr.DataFrameModel):
    term_id: Series[Text] = pdr.Field(str_matches=TERM_ID, title="Term id",
                                     description="A term of side_effect_terms or condition_terms.")
    xref: Series[Text] = pdr.Field(str_matches=r"^[A-Za-z_]+:\S+$", title="Cross-reference",
                                  description="The same concept in UMLS, SNOMED CT, NCIt or MedDRA, as the "
                                              "ontology gives it (`UMLS:C0015672`).")

    class Config:
        strict = True
        title = "Term cross-references"
        description = "Cross-references of the linked terms to other vocabularies, as the ontology lists them."
        unique = ["term_id", "xref"]
        metadata = {"foreign_keys": {}, "spans": []}


class Ontologies(pdr.DataFrameModel):
    ontology: Series[pd.CategoricalDtype] = _term_fields()["ontology"]
    title: Series[Text] = pdr.Field(title="Title", description="The ontology's name.")
    version: Series[Text] = pdr.Field(str_length={"min_value": 1}, title="Version",
                                     description="The release used, as the ontology file states it.")
    package: Series[Text] = pdr.Field(title="Package",
                                     description="The pinned PyPI package whose unmodified file was read.")
    licence: Series[Text] = pdr.Field(title="Licence", description="The ontology's licence terms.")
    url: Series[Text] = pdr.Field(title="URL", description="The ontology's home page.")

    class Config:
        strict = True
        title = "Ontologies"
        description = "The ontology releases the term tables were matched against, with their licences."
        unique = ["ontology"]
        metadata = {"foreign_keys": {}, "spans": []}


TABLES: dict[str, type[pdr.DataFrameModel]] = {
    "documents": Documents,
    "therapies": Therapies,
    "conditions": Conditions,
    "indications": Indications,
    "side_effects": SideEffects,
    "therapy_side_effects": TherapySideEffects,
    "side_effect_examples": SideEffectExamples,
    "decision_factors": DecisionFactors,
    "faqs": Faqs,
    "side_effect_terms": SideEffectTerms,
    "condition_terms": ConditionTerms,
    "term_xrefs": TermXrefs,
    "ontologies": Ontologies,
}
