"""The dataset's tables: the single source of truth for columns, types, constraints and meaning.

Every other description of the data (Parquet metadata, datapackage.json, croissant.json, the dataset card, the
record types of :mod:`schemas.records`) is generated from these models. ``Config.unique`` is each table's
primary key. Table-level facts that pandera has no slot for live in ``Config.metadata``: ``foreign_keys``
(column → (table, column)) and ``spans``, the provenance spans to check against the article's text: (text
column, start column, end column, line column or None), the row's own surface text first.
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

FORMATS = {
    "txt": "A text file: its decoded text is what the spans index.",
    "md": "A Markdown file: the spans index the pipeline's text rendition of it (documents.text).",
    "html": "An HTML page: the spans index the pipeline's text rendition of its main content (documents.text).",
}
LEVELS = {
    "class": "One of the approaches that the article's title compares (or the one it is about).",
    "type": "A kind of a class that the article enumerates (`types of X include A, B and C`).",
    "drug": "A named medicine the article gives as a member or example of a class or type.",
}
IMMUNE_EFFECTS = {
    "enhance": "The article says the approach boosts, enhances or stimulates the immune response.",
    "suppress": "The article says the approach suppresses, dampens or inhibits the immune response.",
}
FREQUENCIES = {
    "very_common": "Said to be very common (the CIOMS band of 1 in 10 or more).",
    "common": "Said to be common (or the most common, or more common).",
    "less_common": "Said to be less common, without a band.",
    "uncommon": "Said to be uncommon (the CIOMS band of 1 in 1,000 to 1 in 100).",
    "rare": "Said to be rare, or to happen rarely (the CIOMS band of 1 in 10,000 to 1 in 1,000).",
    "very_rare": "Said to be very rare (the CIOMS band of less than 1 in 10,000).",
    "not_stated": "Nothing the item, its lead-in or its headings say gives its frequency.",
}
SEVERITIES = {
    "mild": "Said to be mild.",
    "moderate": "Said to be moderate.",
    "severe": "Said to be severe.",
    "life_threatening": "Said to be life-threatening.",
    "not_stated": "Nothing said of its intensity.",
}
SERIOUSNESS = {
    "serious": "Said to be serious (the item, its lead-in or its headings call it serious).",
    "not_stated": "Nothing said of its seriousness.",
}
ACTIONS = {
    "seek_emergency_care": "The article says to get emergency care (call an emergency number, go to an emergency "
                           "department).",
    "contact_doctor": "The article says to contact a doctor, pharmacist, nurse or care team.",
    "not_stated": "The article says nothing of what to do about it.",
}
THERAPY_ALIAS_KINDS = {
    "abbreviation": "An abbreviation the article defines, or the long form of one: `selective serotonin reuptake "
                    "inhibitors (SSRIs)`.",
    "brand": "A brand name the article gives in brackets or as a brand name: `atorvastatin (Lipitor)`.",
    "form": "Another grammatical form of the name that the article uses: `statin` for `Statins`.",
    "gloss": "Another name the article gives in brackets: `radiation therapy (radiotherapy)`.",
}
SPLITS = {
    "train": "For training: 80% of the documents.",
    "validation": "For choosing models and settings: 10% of the documents.",
    "test": "For the final measure: 10% of the documents.",
}
MENTION_LABELS = {
    "THERAPY": "A therapy's name or one of its aliases (therapies.therapy_id).",
    "SIDE_EFFECT": "A side effect's name or one of its aliases (side_effects.side_effect_id).",
    "CONDITION": "A condition's name (conditions.condition_id).",
    "EXAMPLE": "An example a side-effect item gives; its entity id is the slug of the example.",
}
MENTION_SOURCES = {
    "list_item": "The span of a row's own item (a listed side effect, condition or example, a therapy's name or "
                 "alias where the article gives it).",
    "prose": "Anywhere else in the text: paragraphs, headings, questions and answers.",
}
MENTION_VIA = {
    "name": "A name or alias the article itself gives the entity (or the row's own item).",
    "ontology_label": "The label of the ontology term the article's name for the entity is linked to (as in "
                      "side_effect_terms and condition_terms: the whole name, matched exactly), where the article "
                      "does not use those words as a name of its own: `myalgia` for `muscle pain`.",
}
RELATIONS = {
    "has_side_effect": "A therapy (head) and a side effect listed for it (tail): therapy_side_effects.",
    "treats": "A therapy (head) and a condition it is said to treat (tail): indications.",
    "has_example": "A side effect (head) and an example its item gives (tail): side_effect_examples.",
}
SIDE_EFFECT_ALIAS_KINDS = {
    "gloss": "A plain-language or technical name given in brackets: `nausea (feeling sick)`.",
    "abbreviation": "An abbreviation given in brackets: `cytokine release syndrome (CRS)`.",
}


def _config(title: str, description: str, unique: list[str], foreign_keys: dict | None = None,
            spans: list | None = None, named_in: dict | None = None) -> type:
    """A model's Config: strict columns, its key, its references, its spans, and (for an entity table) the
    per-article table each of its ids must be named in."""
    return type("Config", (), {"strict": True, "title": title, "description": description, "unique": unique,
                               "metadata": {"foreign_keys": foreign_keys or {}, "spans": spans or [],
                                            "named_in": named_in or {}}})


def _text(title: str, description: str, **checks) -> object:
    return pdr.Field(title=title, description=description, **checks)


def _id(what: str) -> object:
    return pdr.Field(str_matches=SLUG, title=f"{what.capitalize()} id",
                     description=f"Slug of the {what}'s name: the same name in two articles gets the same id.")


def _ref(title: str, description: str, nullable: bool = False) -> object:
    return pdr.Field(str_matches=SLUG, nullable=nullable, title=title, description=description)


def _document_id() -> object:
    return pdr.Field(str_matches=SLUG, title="Document id",
                     description="The article the row was read from (documents.document_id).")


def _line(what: str = "the row's surface text", nullable: bool = False) -> object:
    return pdr.Field(ge=1, nullable=nullable, title="Line",
                     description=f"1-based line of the article's text (documents.text) on which {what} starts.")


def _char_start(what: str = "the row's surface text", nullable: bool = False) -> object:
    return pdr.Field(ge=0, nullable=nullable, title="Start offset",
                     description=f"Offset of the first character of {what} in the article's text (documents.text; "
                                 "a Python string index)." + (" Empty where there is none." if nullable else ""))


def _char_end(what: str = "the row's surface text", nullable: bool = False) -> object:
    return pdr.Field(ge=0, nullable=nullable, title="End offset",
                     description=f"Offset one past the last character of {what}: text[start:end] is exactly "
                                 "that text." + (" Empty where there is none." if nullable else ""))


def _source_line() -> object:
    return pdr.Field(ge=1, nullable=True, title="Source line",
                     description="For a Markdown or HTML article, the line of the source file on which the row's "
                                 "element starts, where the parser knows it; empty for a text article (whose "
                                 "`line` is already the file's).")


def _category(vocabulary: dict[str, str], **kw) -> object:
    return pdr.Field(dtype_kwargs={"categories": list(vocabulary), "ordered": True},
                     metadata={"categories": vocabulary}, **kw)


def _heading_path(what: str) -> object:
    return pdr.Field(nullable=True, title="Heading path",
                     description=f"The headings above {what}, from the highest below the title to the nearest, "
                                 "joined with ` > `, verbatim; empty right under the title.")


def _entity_name(what: str) -> object:
    return _text("Name", f"The {what}'s name as the articles write it most often: the most frequent text of its "
                         "mentions that spell its name (not an alias or a plural), ties broken by code-point order; "
                         "the names the articles list it under where no mention spells it.")


def _n_documents(what: str, table: str) -> object:
    return pdr.Field(ge=1, title="Documents", description=f"How many articles name the {what} ({table}).")


def _n_mentions(what: str, label: str) -> object:
    return pdr.Field(ge=0, title="Mentions", description=f"How many times the articles mention the {what} "
                                                         f"(mentions with label `{label}`).")


class Documents(pdr.DataFrameModel):
    document_id: Series[Text] = _text("Document id", "Slug of the article's file name without its extension.",
                                      str_matches=SLUG)
    title: Series[Text] = _text("Title", "The article's title: its first real heading (never a breadcrumb or a "
                                         "category label).", str_length={"min_value": 1})
    disclaimer: Series[Text] = pdr.Field(nullable=True, title="Disclaimer",
                                        description="The site's disclaimer line under the title, verbatim; "
                                                    "empty where the article has none.")
    source_path: Series[Text] = _text("Source path", "The article's file name inside the raw folder.")
    sha256: Series[Text] = _text("SHA-256", "SHA-256 of the article file's bytes (the source file), as hex.",
                                 str_matches=SHA256)
    n_chars: Series[int] = pdr.Field(ge=1, title="Characters", description="Length of the text in characters.")
    n_lines: Series[int] = pdr.Field(ge=1, title="Lines", description="Number of lines of the text.")
    line: Series[int] = _line("the title")
    char_start: Series[int] = _char_start("the title")
    char_end: Series[int] = _char_end("the title")
    format: Series[pd.CategoricalDtype] = _category(FORMATS, title="Format", description="The source file's format.")
    publisher: Series[Text] = pdr.Field(nullable=True, title="Publisher",
                                       description="The publisher the page names in machine-readable form (JSON-LD, "
                                                   "`<meta>`, front matter); empty otherwise.")
    author: Series[Text] = pdr.Field(nullable=True, title="Author",
                                    description="The author the page names in machine-readable form; empty "
                                                "otherwise (a byline in the text is furniture, not a value).")
    date_published: Series[Text] = pdr.Field(nullable=True, title="Published",
                                            description="The publication date the page states in machine-readable "
                                                        "form, as it gives it.")
    date_modified: Series[Text] = pdr.Field(nullable=True, title="Modified",
                                           description="The date of the last change the page states in "
                                                       "machine-readable form, as it gives it.")
    url: Series[Text] = pdr.Field(nullable=True, title="URL",
                                 description="The page's address as it states it (canonical link, JSON-LD, front "
                                             "matter).")
    source_line: Series[pd.Int64Dtype] = _source_line()
    text: Series[Text] = _text("Text", "The text every span of the article's rows indexes: the decoded file for "
                                       "a text article, the pipeline's rendition of a Markdown or HTML one.")
    split: Series[pd.CategoricalDtype] = _category(
        SPLITS, title="Split", description="The machine-learning split of the document, from the SHA-256 of its id "
                                           "(first 8 hex digits mod 10: 0-7 train, 8 validation, 9 test), so a "
                                           "document keeps its split as articles are added.")

    Config = _config("Documents", "One row per article read: where it came from, its fingerprint, what it says "
                                  "about itself, and its text.", ["document_id"],
                     spans=[("title", "char_start", "char_end", "line")])


class Therapies(pdr.DataFrameModel):
    therapy_id: Series[Text] = _id("therapy")
    name: Series[Text] = _entity_name("therapy")
    n_documents: Series[int] = _n_documents("therapy", "document_therapies")
    n_mentions: Series[int] = _n_mentions("therapy", "THERAPY")

    Config = _config("Therapies", "Every therapy the corpus names, one row per therapy: what the articles say of "
                                  "it is in document_therapies (one row per article), where they name it in "
                                  "mentions. A row changes only in its counts and its name as articles come and "
                                  "go.", ["therapy_id"],
                     named_in={"therapy_id": ("document_therapies", "therapy_id")})


class DocumentTherapies(pdr.DataFrameModel):
    document_id: Series[Text] = _document_id()
    therapy_id: Series[Text] = _ref("Therapy", "The therapy (therapies.therapy_id).")
    name: Series[Text] = _text("Name", "The therapy's name as the article first writes it.")
    level: Series[pd.CategoricalDtype] = _category(
        LEVELS, title="Level", description="`class` for a compared approach, `type` for a kind of one, `drug` for a "
                                           "named medicine.")
    parent_id: Series[Text] = _ref("Parent therapy", "For a type or a drug, the class or type it belongs to "
                                                     "(therapies.therapy_id); empty for a class.", nullable=True)
    immune_effect: Series[pd.CategoricalDtype] = _category(
        IMMUNE_EFFECTS, nullable=True, title="Immune effect",
        description="What the article says the approach does to the immune response; empty where it "
                    "says neither.")
    immune_effect_word: Series[Text] = pdr.Field(
        nullable=True, title="Immune effect word",
        description="The word that states the immune effect, verbatim (e.g. `suppress`); empty with "
                    "immune_effect.")
    immune_effect_line: Series[pd.Int64Dtype] = _line("the word that states the immune effect", nullable=True)
    immune_effect_char_start: Series[pd.Int64Dtype] = _char_start("the word that states the immune effect", True)
    immune_effect_char_end: Series[pd.Int64Dtype] = _char_end("the word that states the immune effect", True)
    line: Series[int] = _line("the name's first mention")
    char_start: Series[int] = _char_start("the name's first mention")
    char_end: Series[int] = _char_end("the name's first mention")
    source_line: Series[pd.Int64Dtype] = _source_line()

    Config = _config("Document therapies", "The approaches each article compares (level `class`), the kinds of each "
                                           "it enumerates (level `type`) and the medicines it names (level `drug`), "
                                           "as that article says: one row per article and therapy, with the place "
                                           "of its first mention there.", ["document_id", "therapy_id"],
                     {"document_id": ("documents", "document_id"), "therapy_id": ("therapies", "therapy_id"),
                      "parent_id": ("therapies", "therapy_id")},
                     [("name", "char_start", "char_end", "line"),
                      ("immune_effect_word", "immune_effect_char_start", "immune_effect_char_end",
                       "immune_effect_line")])


class TherapyAliases(pdr.DataFrameModel):
    document_id: Series[Text] = _document_id()
    therapy_id: Series[Text] = _ref("Therapy", "The therapy the alias names (therapies.therapy_id).")
    alias: Series[Text] = _text("Alias", "The other name, verbatim.")
    kind: Series[pd.CategoricalDtype] = _category(THERAPY_ALIAS_KINDS, title="Kind", description="What kind of name.")
    line: Series[int] = _line("the alias")
    char_start: Series[int] = _char_start("the alias")
    char_end: Series[int] = _char_end("the alias")
    source_line: Series[pd.Int64Dtype] = _source_line()

    Config = _config("Therapy aliases", "Other names an article gives a therapy: abbreviations, brand names, other "
                                        "forms of the name, glosses; one row per article, therapy and alias.",
                     ["document_id", "therapy_id", "alias", "kind"],
                     {"document_id": ("documents", "document_id"), "therapy_id": ("therapies", "therapy_id")},
                     [("alias", "char_start", "char_end", "line")])


class Conditions(pdr.DataFrameModel):
    condition_id: Series[Text] = _id("condition")
    name: Series[Text] = _entity_name("condition")
    n_documents: Series[int] = _n_documents("condition", "document_conditions")
    n_mentions: Series[int] = _n_mentions("condition", "CONDITION")

    Config = _config("Conditions", "Every condition (or group of conditions) the corpus says an approach treats, one "
                                   "row per condition; per article in document_conditions.", ["condition_id"],
                     named_in={"condition_id": ("document_conditions", "condition_id")})


class DocumentConditions(pdr.DataFrameModel):
    document_id: Series[Text] = _document_id()
    condition_id: Series[Text] = _ref("Condition", "The condition (conditions.condition_id).")
    name: Series[Text] = _text("Name", "The condition's name as the article first writes it.")
    parent_id: Series[Text] = _ref("Group", "The group (a subheading such as `Cancer:`) the condition is listed under "
                                            "(conditions.condition_id); empty for a group or an ungrouped condition.",
                                   nullable=True)
    line: Series[int] = _line("the name's first mention")
    char_start: Series[int] = _char_start("the name's first mention")
    char_end: Series[int] = _char_end("the name's first mention")
    source_line: Series[pd.Int64Dtype] = _source_line()

    Config = _config("Document conditions", "Conditions an approach is said to treat, and the groups (subheadings) "
                                            "they are listed under, as each article lists them: one row per article "
                                            "and condition, with the place of its first mention there.",
                     ["document_id", "condition_id"],
                     {"document_id": ("documents", "document_id"), "condition_id": ("conditions", "condition_id"),
                      "parent_id": ("conditions", "condition_id")},
                     [("name", "char_start", "char_end", "line")])


class Indications(pdr.DataFrameModel):
    document_id: Series[Text] = _document_id()
    therapy_id: Series[Text] = _ref("Therapy", "The approach (therapies.therapy_id).")
    condition_id: Series[Text] = _ref("Condition", "What it is said to treat (conditions.condition_id).")
    item_text: Series[Text] = _text("Item text", "The condition as listed, verbatim.")
    line: Series[int] = _line("the listed condition")
    char_start: Series[int] = _char_start("the listed condition")
    char_end: Series[int] = _char_end("the listed condition")
    heading_path: Series[Text] = _heading_path("the listed condition")
    condition_group: Series[Text] = pdr.Field(nullable=True, title="Group",
                                             description="The subheading or `Label:` line the condition is listed "
                                                         "under (`Cancer`), verbatim; empty where there is none.")
    source_line: Series[pd.Int64Dtype] = _source_line()

    Config = _config("Indications", "What each approach is said to treat or be used for, one row per article and "
                                    "pair.", ["document_id", "therapy_id", "condition_id"],
                     {"document_id": ("documents", "document_id"), "therapy_id": ("therapies", "therapy_id"),
                      "condition_id": ("conditions", "condition_id")},
                     [("item_text", "char_start", "char_end", "line")])


class SideEffects(pdr.DataFrameModel):
    side_effect_id: Series[Text] = _id("side effect")
    name: Series[Text] = _entity_name("side effect")
    n_documents: Series[int] = _n_documents("side effect", "document_side_effects")
    n_mentions: Series[int] = _n_mentions("side effect", "SIDE_EFFECT")

    Config = _config("Side effects", "Every side effect listed in the corpus, one row per side effect; per article in "
                                     "document_side_effects.", ["side_effect_id"],
                     named_in={"side_effect_id": ("document_side_effects", "side_effect_id")})


class DocumentSideEffects(pdr.DataFrameModel):
    document_id: Series[Text] = _document_id()
    side_effect_id: Series[Text] = _ref("Side effect", "The side effect (side_effects.side_effect_id).")
    name: Series[Text] = _text("Name", "The side effect's name as the article first lists it, without its examples.")
    line: Series[int] = _line("the name's first mention")
    char_start: Series[int] = _char_start("the name's first mention")
    char_end: Series[int] = _char_end("the name's first mention")
    source_line: Series[pd.Int64Dtype] = _source_line()

    Config = _config("Document side effects", "Every side effect each article lists, one row per article and side "
                                              "effect, with the place of its first mention there.",
                     ["document_id", "side_effect_id"],
                     {"document_id": ("documents", "document_id"),
                      "side_effect_id": ("side_effects", "side_effect_id")},
                     [("name", "char_start", "char_end", "line")])


class TherapySideEffects(pdr.DataFrameModel):
    document_id: Series[Text] = _document_id()
    therapy_id: Series[Text] = _ref("Therapy", "The approach the list belongs to (therapies.therapy_id).")
    side_effect_id: Series[Text] = _ref("Side effect", "The listed side effect (side_effects.side_effect_id).")
    frequency: Series[pd.CategoricalDtype] = _category(
        FREQUENCIES, title="Frequency", description="How often, as the nearest words say: the item's own, then its "
                                                    "lead-in, then its headings, nearest first.")
    seriousness: Series[pd.CategoricalDtype] = _category(
        SERIOUSNESS, title="Seriousness", description="How serious, as the item, its lead-in or its headings say.")
    position: Series[int] = pdr.Field(ge=1, title="Position",
                                      description="The item's number in a numbered list, or its order in its list, "
                                                  "table or enumeration.")
    source_heading: Series[Text] = _text("Source heading", "The nearest subheading, else the lead-in sentence, else "
                                                           "the heading the item is listed under, verbatim.")
    item_text: Series[Text] = _text("Item text", "The listed item, verbatim.")
    line: Series[int] = _line("the listed item")
    char_start: Series[int] = _char_start("the listed item")
    char_end: Series[int] = _char_end("the listed item")
    severity: Series[pd.CategoricalDtype] = _category(
        SEVERITIES, title="Severity", description="How intense, as the item or its lead-in says (kept apart from "
                                                  "seriousness, as ICH E2A keeps them).")
    action: Series[pd.CategoricalDtype] = _category(
        ACTIONS, title="Action", description="What the article says to do about it (the most urgent it offers).")
    frequency_lower: Series[pd.Float64Dtype] = pdr.Field(nullable=True, ge=0, le=1, title="Frequency from",
                                               description="The lowest rate the text gives (`more than 1 in 100 "
                                                           "people` → 0.01), as a fraction; empty where it gives none.")
    frequency_upper: Series[pd.Float64Dtype] = pdr.Field(nullable=True, ge=0, le=1, title="Frequency up to",
                                               description="The highest rate the text gives (`up to 10%` → 0.1), as "
                                                           "a fraction; empty where it gives none.")
    heading_path: Series[Text] = _heading_path("the listed item")
    lead_in: Series[Text] = pdr.Field(nullable=True, title="Lead-in",
                                     description="The sentence that introduces the list (ending in `:`), or the "
                                                 "sentence that holds the enumeration, verbatim.")
    lead_in_char_start: Series[pd.Int64Dtype] = _char_start("the lead-in", True)
    lead_in_char_end: Series[pd.Int64Dtype] = _char_end("the lead-in", True)
    frequency_text: Series[Text] = pdr.Field(nullable=True, title="Frequency words",
                                            description="The words that give the frequency band, verbatim.")
    frequency_char_start: Series[pd.Int64Dtype] = _char_start("the frequency words", True)
    frequency_char_end: Series[pd.Int64Dtype] = _char_end("the frequency words", True)
    rate_text: Series[Text] = pdr.Field(nullable=True, title="Rate words",
                                       description="The words that give a rate (`more than 1 in 100 people`), "
                                                   "verbatim.")
    rate_char_start: Series[pd.Int64Dtype] = _char_start("the rate words", True)
    rate_char_end: Series[pd.Int64Dtype] = _char_end("the rate words", True)
    severity_text: Series[Text] = pdr.Field(nullable=True, title="Severity words",
                                           description="The word that gives the severity, verbatim.")
    severity_char_start: Series[pd.Int64Dtype] = _char_start("the severity word", True)
    severity_char_end: Series[pd.Int64Dtype] = _char_end("the severity word", True)
    seriousness_text: Series[Text] = pdr.Field(nullable=True, title="Seriousness words",
                                              description="The word that calls it serious, verbatim.")
    seriousness_char_start: Series[pd.Int64Dtype] = _char_start("the seriousness word", True)
    seriousness_char_end: Series[pd.Int64Dtype] = _char_end("the seriousness word", True)
    action_text: Series[Text] = pdr.Field(nullable=True, title="Action words",
                                         description="The words that say what to do, verbatim.")
    action_char_start: Series[pd.Int64Dtype] = _char_start("the action words", True)
    action_char_end: Series[pd.Int64Dtype] = _char_end("the action words", True)
    source_line: Series[pd.Int64Dtype] = _source_line()

    Config = _config("Therapy side effects", "Each side effect listed for an approach, with the frequency, severity, "
                                             "seriousness and action the article states (each with the words that "
                                             "state it), and nothing beyond.",
                     ["document_id", "therapy_id", "side_effect_id", "char_start"],
                     {"document_id": ("documents", "document_id"), "therapy_id": ("therapies", "therapy_id"),
                      "side_effect_id": ("side_effects", "side_effect_id")},
                     [("item_text", "char_start", "char_end", "line"),
                      ("lead_in", "lead_in_char_start", "lead_in_char_end", None),
                      ("frequency_text", "frequency_char_start", "frequency_char_end", None),
                      ("rate_text", "rate_char_start", "rate_char_end", None),
                      ("severity_text", "severity_char_start", "severity_char_end", None),
                      ("seriousness_text", "seriousness_char_start", "seriousness_char_end", None),
                      ("action_text", "action_char_start", "action_char_end", None)])


class SideEffectAliases(pdr.DataFrameModel):
    document_id: Series[Text] = _document_id()
    side_effect_id: Series[Text] = _ref("Side effect", "The side effect the alias names (side_effects.side_effect_id).")
    alias: Series[Text] = _text("Alias", "The other name, verbatim.")
    kind: Series[pd.CategoricalDtype] = _category(SIDE_EFFECT_ALIAS_KINDS, title="Kind",
                                                  description="What kind of name.")
    line: Series[int] = _line("the alias")
    char_start: Series[int] = _char_start("the alias")
    char_end: Series[int] = _char_end("the alias")
    source_line: Series[pd.Int64Dtype] = _source_line()

    Config = _config("Side-effect aliases", "Other names an article gives a side effect in brackets: `indigestion "
                                            "(dyspepsia)`; one row per article, side effect and alias.",
                     ["document_id", "side_effect_id", "alias", "kind"],
                     {"document_id": ("documents", "document_id"),
                      "side_effect_id": ("side_effects", "side_effect_id")},
                     [("alias", "char_start", "char_end", "line")])


class SideEffectExamples(pdr.DataFrameModel):
    document_id: Series[Text] = _document_id()
    therapy_id: Series[Text] = _ref("Therapy", "The approach whose list names the example.")
    side_effect_id: Series[Text] = _ref("Side effect", "The side effect exemplified (side_effects.side_effect_id).")
    position: Series[int] = pdr.Field(ge=1, title="Position", description="The example's order within its list item.")
    example: Series[Text] = _text("Example", "One example the item gives (`such as A or B`), verbatim.")
    line: Series[int] = _line("the example")
    char_start: Series[int] = _char_start("the example")
    char_end: Series[int] = _char_end("the example")
    source_line: Series[pd.Int64Dtype] = _source_line()

    Config = _config("Side-effect examples", "Examples a side-effect item gives: `Skin reactions, such as rash or "
                                             "itching`.", ["document_id", "therapy_id", "side_effect_id", "char_start"],
                     {"document_id": ("documents", "document_id"), "therapy_id": ("therapies", "therapy_id"),
                      "side_effect_id": ("side_effects", "side_effect_id")},
                     [("example", "char_start", "char_end", "line")])


class Mentions(pdr.DataFrameModel):
    document_id: Series[Text] = _document_id()
    mention_id: Series[int] = pdr.Field(ge=1, title="Mention id",
                                        description="The mention's number within its document, in text order.")
    label: Series[pd.CategoricalDtype] = _category(MENTION_LABELS, title="Label", description="What is mentioned.")
    entity_id: Series[Text] = _ref("Entity", "The id of what is mentioned, in the table the label names.")
    text: Series[Text] = _text("Text", "The mention, verbatim.")
    line: Series[int] = _line("the mention")
    char_start: Series[int] = _char_start("the mention")
    char_end: Series[int] = _char_end("the mention")
    source: Series[pd.CategoricalDtype] = _category(MENTION_SOURCES, title="Source",
                                                    description="Whether the mention is a row's own item or prose.")
    via: Series[pd.CategoricalDtype] = _category(MENTION_VIA, title="Matched by",
                                                 description="What the text matched: one of the article's own names "
                                                             "for the entity, or the label of the ontology term "
                                                             "its name is linked to.")
    nested: Series[bool] = pdr.Field(title="Nested",
                                     description="True where the mention overlaps a longer one (`rash` in `skin "
                                                 "rash`), or an equally long one earlier in text order: the rows "
                                                 "with nested false are a flat layer with no overlaps.")

    Config = _config("Mentions", "Every place an article's text names one of its own therapies, side effects, "
                                 "conditions or examples (their names and aliases, and the labels of the ontology "
                                 "terms they are linked to, matched on word boundaries without regard to case), in "
                                 "lists and in prose alike.",
                     ["document_id", "mention_id"], {"document_id": ("documents", "document_id")},
                     [("text", "char_start", "char_end", "line")])


class Relations(pdr.DataFrameModel):
    document_id: Series[Text] = _document_id()
    relation: Series[pd.CategoricalDtype] = _category(RELATIONS, title="Relation", description="What links the two.")
    head_mention_id: Series[int] = pdr.Field(ge=1, title="Head mention",
                                             description="The head's mention (mentions.mention_id in the document): "
                                                         "the nearest mention of it before the tail (the heading, "
                                                         "lead-in or item that owns the list), else its first.")
    tail_mention_id: Series[int] = pdr.Field(ge=1, title="Tail mention",
                                             description="The tail's mention: the row's own item.")
    head_id: Series[Text] = _ref("Head", "The head's entity id (therapies or side_effects).")
    tail_id: Series[Text] = _ref("Tail", "The tail's entity id (side_effects, conditions, or the example's slug).")
    head_text: Series[Text] = _text("Head text", "The head's mention, verbatim.")
    head_char_start: Series[int] = _char_start("the head's mention")
    head_char_end: Series[int] = _char_end("the head's mention")
    tail_text: Series[Text] = _text("Tail text", "The tail's mention, verbatim.")
    tail_char_start: Series[int] = _char_start("the tail's mention")
    tail_char_end: Series[int] = _char_end("the tail's mention")

    Config = _config("Relations", "The rows of therapy_side_effects, indications and side_effect_examples as "
                                  "relations between two mentions, for relation extraction: both ends have a span.",
                     ["document_id", "relation", "head_mention_id", "tail_mention_id"],
                     {"document_id": ("documents", "document_id")},
                     [("head_text", "head_char_start", "head_char_end", None),
                      ("tail_text", "tail_char_start", "tail_char_end", None)])


class DecisionFactors(pdr.DataFrameModel):
    document_id: Series[Text] = _document_id()
    position: Series[int] = pdr.Field(ge=1, title="Position", description="The factor's order in the article.")
    label: Series[Text] = pdr.Field(nullable=True, title="Label",
                                   description="The factor's label, before the colon; empty for a factor listed "
                                               "without one.")
    text: Series[Text] = _text("Text", "What the article says of it (after the colon).")
    source_heading: Series[Text] = _text("Source heading", "The heading the factor is listed under, verbatim.")
    line: Series[pd.Int64Dtype] = _line("the label", nullable=True)
    char_start: Series[pd.Int64Dtype] = _char_start("the label", nullable=True)
    char_end: Series[pd.Int64Dtype] = _char_end("the label", nullable=True)
    text_char_start: Series[int] = _char_start("the text")
    text_char_end: Series[int] = _char_end("the text")
    heading_path: Series[Text] = _heading_path("the factor")
    text_line: Series[pd.Int64Dtype] = _line("the text", nullable=True)
    source_line: Series[pd.Int64Dtype] = _source_line()

    Config = _config("Decision factors", "The things to weigh when choosing between the approaches: `Label: text` "
                                         "factors, and the items of a list of what the choice depends on.",
                     ["document_id", "position"], {"document_id": ("documents", "document_id")},
                     [("label", "char_start", "char_end", "line"),
                      ("text", "text_char_start", "text_char_end", "text_line")])


class Faqs(pdr.DataFrameModel):
    document_id: Series[Text] = _document_id()
    position: Series[int] = pdr.Field(ge=1, title="Position", description="The pair's order in the article.")
    question: Series[Text] = _text("Question", "The question, verbatim.")
    answer: Series[Text] = _text("Answer", "The answer: the text between this question and the next.")
    line: Series[int] = _line("the question")
    char_start: Series[int] = _char_start("the question")
    char_end: Series[int] = _char_end("the question")
    answer_char_start: Series[int] = _char_start("the answer")
    answer_char_end: Series[int] = _char_end("the answer")
    source_line: Series[pd.Int64Dtype] = _source_line()

    Config = _config("Questions and answers", "The article's question and answer pairs.",
                     ["document_id", "position"], {"document_id": ("documents", "document_id")},
                     [("question", "char_start", "char_end", "line"),
                      ("answer", "answer_char_start", "answer_char_end", None)])


ONTOLOGY_PREFIXES = {
    "HP": "Human Phenotype Ontology.",
    "DOID": "Human Disease Ontology.",
}
MATCH_ON = {
    "label": "The text equals the term's label (after normalising case, spaces, apostrophes and plurals).",
    "synonym": "The text equals one of the term's synonyms; synonym_scope says how close the synonym is.",
    "replaced_by": "The text names an obsolete term; the row gives the term that replaced it.",
    "alias": "An alias the article gives the side effect (`feeling sick (nausea)`) equals the term's label, or one "
             "of its synonyms where synonym_scope is given.",
}
SYNONYM_SCOPES = {
    "EXACT": "The synonym means exactly the term.",
    "RELATED": "The synonym is related to the term but not the same: a match of lower precision.",
    "NARROW": "The synonym is narrower than the term: a match of lower precision.",
    "BROAD": "The synonym is broader than the term: a match of lower precision.",
}
TERM_SOURCES = {
    "name": "The side effect's own name matched.",
    "example": "One of its examples matched.",
    "alias": "One of its aliases (a name the article gives it in brackets) matched.",
}
TERM_ID = r"^(HP|DOID):[0-9]+$"


def _ontology() -> object:
    return _category(ONTOLOGY_PREFIXES, title="Ontology", description="The ontology of the term.")


def _term_id() -> object:
    return pdr.Field(str_matches=TERM_ID, title="Term id", description="The term's id, e.g. `HP:0012378`.")


def _term_label() -> object:
    return _text("Term label", "The term's label in the ontology release used.")


def _match_on() -> object:
    return _category(MATCH_ON, title="Matched on", description="How the match was made.")


def _synonym_scope() -> object:
    return _category(SYNONYM_SCOPES, nullable=True, title="Synonym scope",
                     description="The scope of the matching synonym; empty for a label match.")


def _matched_text() -> object:
    return _text("Matched text", "The part of the article's text that matched (the whole name, or one part of an "
                                 "`A or B` name).")


class SideEffectTerms(pdr.DataFrameModel):
    document_id: Series[Text] = _document_id()
    side_effect_id: Series[Text] = _ref("Side effect", "The side effect (side_effects.side_effect_id).")
    source: Series[pd.CategoricalDtype] = _category(
        TERM_SOURCES, title="Source", description="Whether the side effect's name, one of its examples or one of its "
                                                  "aliases matched.")
    source_text: Series[Text] = _text("Source text", "The name, the example or the alias that was matched, verbatim.")
    ontology: Series[pd.CategoricalDtype] = _ontology()
    term_id: Series[Text] = _term_id()
    term_label: Series[Text] = _term_label()
    match_on: Series[pd.CategoricalDtype] = _match_on()
    synonym_scope: Series[pd.CategoricalDtype] = _synonym_scope()
    matched_text: Series[Text] = _matched_text()
    line: Series[int] = _line("the matched text")
    char_start: Series[int] = _char_start("the matched text")
    char_end: Series[int] = _char_end("the matched text")

    Config = _config("Side-effect terms", "Side effects, their examples and aliases linked to Human Phenotype "
                                          "Ontology terms by exact matching of labels and synonyms, one row per "
                                          "article, side effect, text and ontology; no match, no row.",
                     ["document_id", "side_effect_id", "source_text", "ontology"],
                     {"side_effect_id": ("side_effects", "side_effect_id"),
                      "document_id": ("documents", "document_id")},
                     [("matched_text", "char_start", "char_end", "line")])


class ConditionTerms(pdr.DataFrameModel):
    document_id: Series[Text] = _document_id()
    condition_id: Series[Text] = _ref("Condition", "The condition (conditions.condition_id).")
    ontology: Series[pd.CategoricalDtype] = _ontology()
    term_id: Series[Text] = _term_id()
    term_label: Series[Text] = _term_label()
    match_on: Series[pd.CategoricalDtype] = _match_on()
    synonym_scope: Series[pd.CategoricalDtype] = _synonym_scope()
    matched_text: Series[Text] = _matched_text()
    line: Series[int] = _line("the matched text")
    char_start: Series[int] = _char_start("the matched text")
    char_end: Series[int] = _char_end("the matched text")

    Config = _config("Condition terms", "Conditions linked to Human Phenotype Ontology and Disease Ontology terms by "
                                        "exact matching of labels and synonyms; at most one row per article, "
                                        "condition and ontology, none without a match.",
                     ["document_id", "condition_id", "ontology"],
                     {"condition_id": ("conditions", "condition_id"), "document_id": ("documents", "document_id")},
                     [("matched_text", "char_start", "char_end", "line")])


class TermXrefs(pdr.DataFrameModel):
    term_id: Series[Text] = pdr.Field(str_matches=TERM_ID, title="Term id",
                                     description="A term of side_effect_terms or condition_terms.")
    xref: Series[Text] = pdr.Field(str_matches=r"^[A-Za-z_]+:\S+$", title="Cross-reference",
                                  description="The same concept in UMLS, SNOMED CT, NCIt or MedDRA, as the "
                                              "ontology gives it (`UMLS:C0015672`).")

    Config = _config("Term cross-references", "Cross-references of the linked terms to other vocabularies, as the "
                                              "ontology lists them.", ["term_id", "xref"])


class Ontologies(pdr.DataFrameModel):
    ontology: Series[pd.CategoricalDtype] = _ontology()
    title: Series[Text] = _text("Title", "The ontology's name.")
    version: Series[Text] = _text("Version", "The release used, as the ontology file states it.",
                                  str_length={"min_value": 1})
    package: Series[Text] = _text("Package", "The pinned PyPI package whose unmodified file was read.")
    licence: Series[Text] = _text("Licence", "The ontology's licence terms.")
    url: Series[Text] = _text("URL", "The ontology's home page.")

    Config = _config("Ontologies", "The ontology releases the term tables were matched against, with their "
                                   "licences.", ["ontology"])


TABLES: dict[str, type[pdr.DataFrameModel]] = {
    "documents": Documents,
    "therapies": Therapies,
    "document_therapies": DocumentTherapies,
    "therapy_aliases": TherapyAliases,
    "conditions": Conditions,
    "document_conditions": DocumentConditions,
    "indications": Indications,
    "side_effects": SideEffects,
    "document_side_effects": DocumentSideEffects,
    "therapy_side_effects": TherapySideEffects,
    "side_effect_aliases": SideEffectAliases,
    "side_effect_examples": SideEffectExamples,
    "decision_factors": DecisionFactors,
    "faqs": Faqs,
    "mentions": Mentions,
    "relations": Relations,
    "side_effect_terms": SideEffectTerms,
    "condition_terms": ConditionTerms,
    "term_xrefs": TermXrefs,
    "ontologies": Ontologies,
}
