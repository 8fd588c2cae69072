"""Extraction rules on small texts: each rule reads structure and plain-language markers, not a word list."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import extract_text

from pipeline.document import Kind, Span
from pipeline.extract import extract_document, language, slug
from pipeline.extract.approaches import long_form
from pipeline.extract.items import take_apart
from pipeline.extract.text import enumeration, sentences
from pipeline.extract.uses import condition_name
from pipeline.parse import parse
from pipeline.tables import schema
from schemas.records import RECORDS

RULES = Path(__file__).resolve().parent / "fixtures" / "rules"
TEMPLATE = """{title}

All materials on the site are for informational purposes!

{body}
"""


def rows(body: str, title: str = "Understanding the Difference Between Alpha Therapy and Beta Therapy",
         name: str = "a.txt"):
    text = TEMPLATE.format(title=title, body=body)
    return extract_text(text, name, "0" * 64, name).rows


def case(name: str):
    """The rows and warnings of a rule's fixture article, ``tests/fixtures/rules/NAME.txt`` (read as ``a.txt``)."""
    return extract_text((RULES / f"{name}.txt").read_text(encoding="utf-8"), "a.txt", "0" * 64, "a.txt")


def span(value: str) -> Span:
    return Span(value, 1, 0, len(value))


@pytest.mark.parametrize("name, expected", [
    ("CAR-T cell therapy", "car-t-cell-therapy"), ("Hair thinning or loss", "hair-thinning-or-loss"),
    ("  Crème  brûlée ", "creme-brulee"), ("Type 2 diabetes", "type-2-diabetes")])
def test_slug_of_a_name(name, expected):
    assert slug(name) == expected


def test_slug_of_a_name_without_ascii_letters_is_a_stable_hash():
    assert slug("腫瘍").startswith("x-") and slug("腫瘍") == slug("腫瘍") and len(slug("腫瘍")) == 14


@pytest.mark.parametrize("intro, listed, items", [
    ("such as", "A, B, and C.", ["A", "B", "C"]),
    ("such as", "fever, chills, or muscle aches", ["fever", "chills", "muscle aches"]),
    ("like", "A or B", ["A", "B"]),
    ("including", "melanoma and leukemia; later text", ["melanoma", "leukemia"]),
    ("such as", "A, B, and a very long clause that is clearly not an item at all.", ["A", "B"]),
    ("such as", "lung scarring, heart problems or a second cancer.", ["lung scarring", "heart problems",
                                                                    "a second cancer"]),
    ("such as", "black, tarry stools or vomit", ["black, tarry stools", "vomit"]),
    ("such as", "pain, trouble breathing, or feeling very weak and tired", ["pain", "trouble breathing",
                                                                           "feeling very weak and tired"]),
    ("such as", "X (EBRT), which uses a machine, and Y (brachy), which sits in or near it.", ["X (EBRT)",
                                                                                              "Y (brachy)"]),
    ("such as", "methotrexate and sulfasalazine are tried first.", ["methotrexate", "sulfasalazine"]),
])
def test_an_enumeration_in_a_sentence(intro, listed, items):
    text = f"{intro} {listed}"
    found = enumeration(span(text), len(intro) + 1)
    assert [i.value for i in found] == items
    assert all(text[i.start:i.end] == i.value for i in found)


def test_sentences_keep_their_punctuation_and_go_on_past_abbreviations():
    text = "Drugs approved by the U.S. Food and Drug Administration treat:  Pain. Rarely, C. diff diarrhea. B."
    assert [s.value for s in sentences(span(text))] == [
        "Drugs approved by the U.S. Food and Drug Administration treat:", "Pain.", "Rarely, C. diff diarrhea.",
        "B."]


@pytest.mark.parametrize("item, name, examples, alias", [
    ("Skin reactions, such as rash or itching", "Skin reactions", ["rash", "itching"], None),
    ("Digestive issues, like diarrhea or nausea", "Digestive issues", ["diarrhea", "nausea"], None),
    ("Liver problems (e.g., raised enzymes)", "Liver problems", ["raised enzymes"], None),
    ("Swelling or fluid retention", "Swelling or fluid retention", [], None),
    ("indigestion (dyspepsia)", "indigestion", [], ("dyspepsia", "gloss")),
    ("cytokine release syndrome (CRS), mainly after infusions", "cytokine release syndrome", [], ("CRS",
                                                                                               "abbreviation")),
    ("gas (flatulence) (3%)", "gas", [], ("flatulence", "gloss")),
    ("Liver problems (rare)", "Liver problems", [], None),
    ("A fever of 100.4°F (38°C) or higher", "A fever of 100.4°F (38°C) or higher", [], None),
    ("stroke – when the blood supply to the brain stops", "stroke", [], None),
    ("bleeding - causing signs such as black, tarry stools or vomit", "bleeding",
     ["black, tarry stools", "vomit"], None),
    ("Headache. It usually passes", "Headache", [], None),
    ("diarrhea, which affects about 1 in 5 people", "diarrhea", [], None),
    ("Infusion reactions (fever, chills, or rash)", "Infusion reactions", ["fever", "chills", "rash"], None),
    ("tummy (abdominal) pain", "tummy (abdominal) pain", [], None),
])
def test_a_listed_side_effect_taken_apart(item, name, examples, alias):
    listed = take_apart(span(item))
    assert listed.name.value == name
    assert [e.value for e in listed.examples] == examples
    assert ((listed.alias.value, listed.alias_kind) if listed.alias else None) == alias
    for part in [listed.name, *listed.examples] + ([listed.alias] if listed.alias else []):
        assert item[part.start:part.end] == part.value


@pytest.mark.parametrize("text, value", [
    ("Common side effects include:", "common"), ("Less common but serious side effects", "less_common"),
    ("Rarely, it causes", "rare"), ("very common, each reported", "very_common"), ("this is very rare", "very_rare"),
    ("These reports are uncommon", "uncommon"), ("More common", "common"), ("Less often, X can cause:", "less_common"),
    ("Other possible side effects include:", None), ("side effects that are not common", None),
])
def test_the_frequency_band_a_text_states(text, value):
    found = language.frequency(span(text))
    assert (found.value if found else None) == value


@pytest.mark.parametrize("text, lower, upper", [
    ("in more than 1 in 100 people", 0.01, None), ("up to 1 in 10", None, 0.1),
    ("between 1 in 100 and 1 in 1,000 people", 0.001, 0.01), ("about 5%", 0.05, 0.05),
    ("About 5% to 10% of people", 0.05, 0.1), ("headache (7%)", 0.07, 0.07), ("about one in five", 0.2, 0.2),
    ("a fever of 100.4°F", None, None), ("children aged 1 to 16", None, None),
])
def test_the_rate_a_text_states(text, lower, upper):
    found = language.rate(span(text))
    assert ((found.lower, found.upper) if found else (None, None)) == (lower, upper)


@pytest.mark.parametrize("text, value", [
    ("Severe infections", "severe"), ("this can be life-threatening", "life_threatening"),
    ("are mild and include:", "mild"), ("Tell your doctor if any of these symptoms are severe:", None),
])
def test_the_severity_a_text_states_outside_conditions(text, value):
    found = language.severity(span(text))
    assert (found.value if found else None) == value


@pytest.mark.parametrize("text, value", [
    ("Serious side effects", "serious"), ("Less common but more serious problems", "serious"),
    ("These are not serious", None), ("less serious side effects", None), ("Severe pain", None),
])
def test_seriousness_is_said_in_words_and_is_not_severity(text, value):
    found = language.seriousness(span(text))
    assert (found.value if found else None) == value


@pytest.mark.parametrize("text, value", [
    ("Immediately call 999 or go to A&E if:", "seek_emergency_care"),
    ("call your doctor immediately or get emergency treatment:", "seek_emergency_care"),
    ("Call a doctor or call 111 now if:", "contact_doctor"),
    ("Check with your health care professional if these continue:", "contact_doctor"),
    ("Let your prescriber know if your mood changes.", "contact_doctor"),
    ("You do not need to call your doctor.", None), ("Keep taking it.", None),
])
def test_the_most_urgent_action_a_text_states(text, value):
    found = language.action(span(text))
    assert (found.value if found else None) == value


def test_the_long_form_of_an_abbreviation():
    text = "are called direct oral anticoagulants"
    assert text[long_form("DOACs", text):] == "direct oral anticoagulants"
    text = "Two classes: selective serotonin reuptake inhibitors"
    assert text[long_form("SSRIs", text):] == "selective serotonin reuptake inhibitors"
    assert long_form("XYZ", "nothing like it") is None


@pytest.mark.parametrize("title, classes", [
    ("Understanding the Difference Between Alpha Therapy and Beta Therapy", ["Alpha Therapy", "Beta Therapy"]),
    ("Alpha Therapy vs Beta Therapy: What to Know", ["Alpha Therapy", "Beta Therapy"]),
    ("Alpha Therapy versus Beta Therapy", ["Alpha Therapy", "Beta Therapy"]),
    ("Alpha therapy, beta therapy, and gamma therapy: What to know", ["Alpha therapy", "beta therapy",
                                                                     "gamma therapy"]),
    ("Side Effects of Alpha Therapy", ["Alpha Therapy"]),
])
def test_the_classes_come_from_the_title(title, classes):
    therapies = rows("What is Alpha Therapy?\n\nText.", title)["document_therapies"]
    assert [(t.name, t.level) for t in therapies] == [(c, "class") for c in classes]


def test_a_title_that_names_no_approach_gives_the_document_and_a_warning():
    out = case("a_title_that_names_no_approach_gives_the_document_and_a_warning")
    assert len(out.rows["documents"]) == 1 and out.rows["document_therapies"] == []
    assert len(out.warnings) == 1 and out.warnings[0].endswith(
        ": the title names no approach ('A vs B', 'Side effects of A', or a name alone); only the document row is "
        "read; headings seen: How Does It Work?")


def test_immune_effect_from_the_subject_sentence_and_its_verb():
    therapies = case("immune_effect_from_the_subject_sentence_and_its_verb").rows["document_therapies"]
    assert [(t.therapy_id, t.immune_effect, t.immune_effect_word) for t in therapies] == [
        ("alpha-therapy", "enhance", "strengthens"), ("beta-therapy", "suppress", "lowering")]


def test_no_immune_effect_where_the_article_states_none():
    therapies = case("no_immune_effect_where_the_article_states_none").rows["document_therapies"]
    assert [t.immune_effect for t in therapies] == [None, None]


def test_types_and_their_drugs_and_brands():
    out = case("types_and_their_drugs_and_brands").rows
    assert [(t.name, t.level, t.parent_id) for t in out["document_therapies"][2:]] == [
        ("gels", "type", "beta-therapy"), ("sprays", "type", "beta-therapy"), ("betagel", "drug", "gels"),
        ("gammagel", "drug", "gels")]
    assert [(a.therapy_id, a.alias, a.kind) for a in out["therapy_aliases"]] == [("betagel", "Betavex", "brand")]


def test_types_of_a_narrowed_class_and_medicines_named_with_their_brands():
    """``types of skin beta therapy``: a class narrowed by a word; a type's item names its medicines with their
    brands in brackets; a known type over a sub-list of medicines gives them to the type."""
    out = case("types_of_a_narrowed_class_and_medicines_named_with_their_brands").rows
    assert sorted((t.name, t.level, t.parent_id) for t in out["document_therapies"][2:]) == [
        ("Corvane", "drug", "oral-alpha-therapy"), ("Gel treatments", "type", "beta-therapy"),
        ("Lisdrel", "drug", "oral-alpha-therapy"), ("Mirotab", "drug", "injected-alpha-therapy"),
        ("Spray treatments", "type", "beta-therapy"), ("Zorvex", "drug", "gel-treatments"),
        ("injected alpha therapy", "type", "alpha-therapy"), ("oral alpha therapy", "type", "alpha-therapy"),
        ("pelmax", "drug", "gel-treatments"), ("tandrin", "drug", "spray-treatments")]
    assert sorted((a.therapy_id, a.alias) for a in out["therapy_aliases"] if a.kind == "brand") == [
        ("corvane", "Corva"), ("mirotab", "Mirela"), ("pelmax", "Pelmora"), ("tandrin", "Tandra"),
        ("zorvex", "Zorvia")]


def test_brands_in_an_also_called_row_and_examples_after_a_sentence_about_the_medicine():
    """``Examples include A (Brand), B and C`` after a sentence naming the class and its medicine; a row headed
    ``Also called`` in a table whose columns are the approaches gives each approach its brands."""
    out = case("brands_in_an_also_called_row_and_examples_after_a_sentence_about_the_medicine").rows
    assert [(t.name, t.level, t.parent_id) for t in out["document_therapies"][2:]] == [
        ("corvane", "drug", "beta-therapy"), ("lisdrel", "drug", "beta-therapy"), ("mirotab", "drug", "beta-therapy")]
    assert sorted((a.therapy_id, a.alias) for a in out["therapy_aliases"] if a.kind == "brand") == [
        ("alpha-therapy", "Alvex"), ("alpha-therapy", "Alvex Junior"), ("beta-therapy", "Betamist"),
        ("corvane", "Corvix")]


def test_abbreviations_and_forms_of_the_class_names():
    out = case("abbreviations_and_forms_of_the_class_names").rows
    assert sorted((a.therapy_id, a.alias, a.kind) for a in out["therapy_aliases"]) == [
        ("alpha-therapy", "AT", "abbreviation"), ("beta-therapy", "beta therapies", "form")]


def test_side_effect_attributes_come_from_the_item_then_the_lead_in_then_the_headings():
    tse = case("side_effect_attributes_come_from_the_item_then_the_lead_in_then_the_headings").rows[
        "therapy_side_effects"]
    assert [(t.side_effect_id, t.frequency, t.seriousness, t.severity, t.source_heading) for t in tse] == [
        ("rash", "uncommon", "not_stated", "not_stated", "Uncommon Side Effects"),
        ("itch", "uncommon", "not_stated", "not_stated", "Uncommon Side Effects"),
        ("fainting", "not_stated", "serious", "not_stated", "Serious Side Effects"),
        ("severe-pain", "rare", "serious", "severe", "Serious Side Effects"),
        ("cough", "not_stated", "serious", "not_stated", "Serious Side Effects")]
    assert [t.heading_path for t in tse] == [
        "What Are the Side Effects of Beta Therapy? > Uncommon Side Effects"] * 2 + [
        "What Are the Side Effects of Beta Therapy? > Serious Side Effects"] * 2 + [
        "What Are the Side Effects of Beta Therapy? > Serious Side Effects"]


def test_a_lead_in_naming_both_approaches_gives_each_a_row():
    tse = case("a_lead_in_naming_both_approaches_gives_each_a_row").rows["therapy_side_effects"]
    assert [(t.therapy_id, t.side_effect_id, t.action) for t in tse] == [
        ("alpha-therapy", "chest-pain", "seek_emergency_care"), ("beta-therapy", "chest-pain",
                                                                 "seek_emergency_care")]


def test_a_side_effect_list_nothing_gives_to_one_approach_is_skipped_with_a_warning():
    out = case("a_side_effect_list_nothing_gives_to_one_approach_is_skipped_with_a_warning")
    assert out.rows["therapy_side_effects"] == []
    assert "a.txt:9: a side-effect list that no lead-in or heading gives to one approach; no rows read from it" \
        in out.warnings


def test_cautions_interactions_and_tips_are_not_side_effects():
    assert case("cautions_interactions_and_tips_are_not_side_effects").rows["therapy_side_effects"] == []


def test_lists_outside_side_effect_context_are_not_side_effects():
    assert case("lists_outside_side_effect_context_are_not_side_effects").rows["therapy_side_effects"] == []


def test_an_enumeration_in_a_side_effects_section():
    tse = case("an_enumeration_in_a_side_effects_section").rows["therapy_side_effects"]
    assert [(t.side_effect_id, t.lead_in) for t in tse] == [
        (name, "Alpha therapy can cause headaches, nausea and muscle pain.")
        for name in ("headaches", "nausea", "muscle-pain")]


def test_a_subheading_per_side_effect():
    tse = case("a_subheading_per_side_effect").rows["therapy_side_effects"]
    assert [(t.side_effect_id, t.frequency, t.frequency_lower, t.action, t.heading_path) for t in tse] == [
        ("muscle-pain", "not_stated", 0.05, "contact_doctor", "Side effects of beta therapy"),
        ("hair-loss", "rare", None, "not_stated", "Side effects of beta therapy")]


def test_side_effects_said_in_lead_ins_labels_and_headings_of_effects():
    """"Other possible effects" under a side-effects heading is about side effects; "can cause:" and "if you:"
    lead side effects in; a ``Label: text`` line there names one (a notice label does not); the paragraph of
    the heading before ("Hair loss is common") says nothing of the next heading's list."""
    tse = case("side_effects_said_in_lead_ins_labels_and_headings_of_effects").rows["therapy_side_effects"]
    top = "Side effects of alpha therapy"
    assert [(t.therapy_id, t.side_effect_id, t.frequency, t.frequency_lower, t.seriousness, t.action, t.heading_path)
            for t in tse] == [
        ("alpha-therapy", "hair-loss", "common", 0.1, "not_stated", "not_stated", top),
        ("alpha-therapy", "dry-mouth", "not_stated", None, "not_stated", "not_stated",
         f"{top} > Other possible effects"),
        ("alpha-therapy", "a-metallic-taste", "not_stated", None, "not_stated", "not_stated",
         f"{top} > Other possible effects"),
        ("alpha-therapy", "have-a-high-temperature", "not_stated", None, "not_stated", "contact_doctor",
         f"{top} > Contact your doctor"),
        ("alpha-therapy", "jaw-damage", "rare", None, "serious", "contact_doctor",
         f"{top} > Rare but serious problems"),
        ("alpha-therapy", "tiredness", "not_stated", None, "not_stated", "not_stated", f"{top} > How the two compare"),
        ("beta-therapy", "tiredness", "not_stated", None, "not_stated", "not_stated", f"{top} > How the two compare")]


def test_indications_keep_who_they_are_for():
    """``Doctors prescribe X for:`` leads uses in; an item keeps ``in adults``, ``in men`` (who it is for)."""
    out = case("indications_keep_who_they_are_for").rows
    assert [(i.therapy_id, i.item_text) for i in out["indications"]] == [
        ("alpha-therapy", "persistent eczema in adults and children"), ("alpha-therapy", "psoriasis in men")]


def test_uses_lists_and_sentences_give_indications_with_their_groups():
    out = case("uses_lists_and_sentences_give_indications_with_their_groups").rows
    assert [(i.therapy_id, i.item_text, i.condition_group) for i in out["indications"]] == [
        ("alpha-therapy", "Cancer", None), ("alpha-therapy", "melanoma", "Cancer"),
        ("alpha-therapy", "leukemia", "Cancer"), ("beta-therapy", "gout", None), ("beta-therapy", "acne", None)]
    assert [(c.condition_id, c.parent_id) for c in out["document_conditions"]] == [
        ("cancer", None), ("melanoma", "cancer"), ("leukemia", "cancer"), ("gout", None), ("acne", None)]


def test_decision_factors_labelled_or_listed_as_what_the_choice_depends_on():
    factors = case("decision_factors_labelled_or_listed_as_what_the_choice_depends_on").rows["decision_factors"]
    assert [(f.position, f.label, f.text) for f in factors] == [
        (1, "Cost", "alpha is cheaper."), (2, "Time", "beta is quicker."), (3, None, "Your age"),
        (4, None, "Your goals")]


def test_decision_factors_labelled_with_a_full_stop():
    """Written from the fixture: two `Label. text` paragraphs and a list of two such items in a section about
    choosing are factors; a sentence that happens to end after a few words (it has a verb) is not, and neither
    are the same shapes outside a choosing section."""
    factors = case("decision_factors_labelled_with_a_full_stop").rows["decision_factors"]
    assert [(f.position, f.label, f.text) for f in factors] == [
        (1, "Cost", "Generic pills usually cost less than patches."),
        (2, "Daily routine", "A patch goes on once a day, while pills are taken twice a day."),
        (3, "Skin", "Patches can irritate sensitive skin."),
        (4, "Sleep", "Some people dream vividly with a patch worn overnight.")]


def test_a_section_printed_twice_gives_no_duplicate_rows():
    out = case("a_section_printed_twice_gives_no_duplicate_rows").rows
    assert len(out["therapy_side_effects"]) == 2
    assert len(out["document_side_effects"]) == 2
    assert len(out["side_effect_examples"]) == 1


def test_every_extracted_row_is_a_record_of_its_table():
    out = case("every_extracted_row_is_a_record_of_its_table").rows
    for table, table_rows in out.items():
        for row in table_rows:
            assert type(row) is RECORDS[table] and row._fields == tuple(schema(table).columns), table


def test_the_fast_sentence_pattern_finds_what_the_simple_one_finds():
    import random
    import re

    from pipeline.extract.text import SENTENCE, SENTENCE_SIMPLE

    simple = re.compile(SENTENCE_SIMPLE, re.DOTALL)
    rng = random.Random(7)
    texts = ["a. b", "...", "x:y: z", "Q? A! B", " lead", "a.b.c. d", "x\n", "a\nb. c\n", "é’ x? y", ""]
    texts += ["".join(rng.choice("ab .!?:\n\t’") for _ in range(rng.randint(0, 14))) for _ in range(5000)]
    for text in texts:
        assert [m.span() for m in SENTENCE.finditer(text)] == [m.span() for m in simple.finditer(text)], text


@pytest.mark.parametrize("sentence, conditions", [
    ("Radiotherapy is used to treat head and neck cancer and lymphoma.", ["head and neck cancer", "lymphoma"]),
    ("Radiotherapy is used to treat lymphoma, head and neck cancer and skin cancer.",
     ["lymphoma", "head and neck cancer", "skin cancer"]),
    ("Radiotherapy is used to treat asthma and eczema.", ["asthma", "eczema"]),
])
def test_an_enumeration_keeps_a_condition_the_ontologies_list_whole(tmp_path, sentence, conditions):
    """`head and neck cancer` is a Disease Ontology label: one condition, where `asthma and eczema` is two."""
    from pipeline.build import read_one

    article = tmp_path / "uses.txt"
    article.write_text(f"Radiotherapy vs Chemotherapy\n\nWhat is radiotherapy used for?\n\n{sentence}\n",
                       encoding="utf-8")
    assert [row.item_text for row in read_one(article).rows["indications"]] == conditions


def test_without_the_ontologies_an_enumeration_splits_at_its_and():
    text = ("Radiotherapy vs Chemotherapy\n\nWhat is radiotherapy used for?\n\n"
            "It is used to treat head and neck cancer.\n")
    doc = parse(text, "uses.txt")
    split = extract_document(doc, "uses", "0" * 64, "uses.txt").rows["indications"]
    kept = extract_document(doc, "uses", "0" * 64, "uses.txt", whole_name=lambda name: name == "head and neck cancer")
    assert [row.item_text for row in split] == ["head", "neck cancer"]
    assert [row.item_text for row in kept.rows["indications"]] == ["head and neck cancer"]


# --- Layouts of published pages (the second round of blind articles) --------------------------------------------


def effects_of(out) -> list[tuple]:
    return [(e.therapy_id, e.item_text, e.frequency, e.action, e.heading_path, e.lead_in)
            for e in out["therapy_side_effects"]]


def test_a_category_label_above_the_title_is_not_the_title():
    result = case("a_category_label_above_the_title_is_not_the_title")
    assert [d.title for d in result.rows["documents"]] == ["Tazolin (Oral Route)"]
    assert [t.therapy_id for t in result.rows["document_therapies"]] == ["tazolin"]
    assert [e[:2] for e in effects_of(result.rows)] == [("tazolin", "sleepiness"), ("tazolin", "a dry mouth")]


def test_frequency_bands_and_lines_after_a_lead_in_group_under_the_heading_above():
    first = "Check with your doctor immediately if any of the following side effects occur:"
    second = "Check with your doctor if any of the following go on or bother you:"
    assert effects_of(case("frequency_bands_and_lines_after_a_lead_in_group_under_the_heading_above").rows) == [
        ("tazolin", "clumsiness", "common", "contact_doctor", "Side effects > More common", first),
        ("tazolin", "shaky hands", "common", "contact_doctor", "Side effects > More common", first),
        ("tazolin", "yellow skin", "rare", "contact_doctor", "Side effects > Rare", first),
        ("tazolin", "a swollen face", "not_stated", "seek_emergency_care",
         "Side effects > Signs of an allergic reaction",
         "Get emergency help at once if any of these signs of a reaction occur:"),
        ("tazolin", "a runny nose", "less_common", "contact_doctor", "Side effects > Less common", second)]


def test_conditions_marked_in_a_table_and_grouped_under_a_label_line():
    out = case("conditions_marked_in_a_table_and_grouped_under_a_label_line").rows
    assert [(i.therapy_id, i.item_text, i.condition_group) for i in out["indications"]] == [
        ("alpha-therapy", "migraine", None), ("beta-therapy", "migraine", None),
        ("alpha-therapy", "cluster headache", None), ("beta-therapy", "neck pain", None),
        ("alpha-therapy", "back pain", "Pain conditions"), ("alpha-therapy", "knee pain", "Pain conditions"),
        ("alpha-therapy", "poor sleep", "Other conditions")]


def test_either_of_these_points_at_the_items_and_whichever_at_every_approach():
    out = case("either_of_these_points_at_the_items_and_whichever_at_every_approach").rows
    assert [(e[0], e[1]) for e in effects_of(out)] == [
        ("alpha-therapy", "chest pain"), ("alpha-therapy", "fainting"), ("alpha-therapy", "a fever"),
        ("beta-therapy", "a fever")]


def test_a_lead_in_asking_whether_it_is_safe_introduces_conditions_not_side_effects():
    out = case("a_lead_in_asking_whether_it_is_safe_introduces_conditions_not_side_effects").rows
    assert [(e[0], e[1]) for e in effects_of(out)] == [("alpha-therapy", "a headache")]


def test_complications_of_an_approach_are_not_its_members():
    out = case("complications_of_an_approach_are_not_its_members").rows
    assert [t.therapy_id for t in out["document_therapies"]] == ["alpha-therapy", "beta-therapy"]


def test_an_unbulleted_list_whose_last_line_is_long():
    out = case("an_unbulleted_list_whose_last_line_is_long").rows
    assert [e[1] for e in effects_of(out)] == [
        "pain that gets much worse", "new numbness in your legs",
        "swelling and warmth in one calf — this can be the sign of a clot in a vein"]


def test_labelled_paragraphs_after_a_lead_in_to_weigh_are_decision_factors():
    factors = case("labelled_paragraphs_after_a_lead_in_to_weigh_are_decision_factors").rows["decision_factors"]
    assert [(f.label, f.text) for f in factors] == [
        ("Allergies", "Tell your doctor about any allergy you have."),
        ("Older adults", "Your doctor may start with a lower dose.")]


def test_a_leaflet_with_numbered_sections_and_frequency_bands():
    result = case("a_leaflet_with_numbered_sections_and_frequency_bands")
    assert [d.title for d in result.rows["documents"]] == ["Tazolin 20 mg capsules"]
    assert [t.therapy_id for t in result.rows["document_therapies"]] == ["tazolin"]
    assert [(i.therapy_id, i.item_text) for i in result.rows["indications"]] == [("tazolin", "restless legs")]
    band = "2. Possible side effects > Common (may affect up to 1 in 10 people)"
    assert [(e.item_text, e.frequency, e.frequency_upper, e.heading_path) for e in
            result.rows["therapy_side_effects"]] == [
        ("a dry mouth", "common", 0.1, band), ("sleepiness", "common", 0.1, band), ("wind", "common", 0.1, band),
        ("blurred vision", "uncommon", 0.01, "2. Possible side effects > Uncommon (may affect up to 1 in 100 people)"),
        ("memory loss", "not_stated", None,
         "2. Possible side effects > Not known (frequency cannot be estimated from the available data)")]


def test_a_drug_sheet_with_question_headings_and_dashed_signs():
    out = case("a_drug_sheet_with_question_headings_and_dashed_signs").rows
    assert [(i.therapy_id, i.item_text) for i in out["indications"]] == [
        ("tazolin-capsules", "shingles pain"), ("tazolin-capsules", "nerve pain in the feet"),
        ("tazolin-capsules", "back pain")]
    assert [(e.side_effect_id, e.action, e.severity) for e in out["therapy_side_effects"]] == [
        ("allergic-reactions", "contact_doctor", "not_stated"), ("liver-injury", "contact_doctor", "not_stated"),
        ("stroke", "contact_doctor", "not_stated"), ("muscle-pain", "contact_doctor", "severe"),
        ("a-racing-heartbeat", "contact_doctor", "severe")]
    assert [(x.side_effect_id, x.example) for x in out["side_effect_examples"]] == [
        ("allergic-reactions", "rash"), ("allergic-reactions", "itchy skin"), ("allergic-reactions", "hives"),
        ("liver-injury", "dark urine"), ("liver-injury", "yellow eyes"), ("liver-injury", "unusual tiredness")]
    assert [(a.side_effect_id, a.alias) for a in out["side_effect_aliases"]] == [("liver-injury", "hepatitis")]


@pytest.mark.parametrize("sentence, aliases", [
    ("Tonsillectomy (ton-sil-EK-tuh-mee) removes the tonsils.", []),
    ("Each tablet holds atorvastatin (as atorvastatin calcium).", []),
    ("Atorvastatin (Lipitor) lowers cholesterol.", [("atorvastatin", "Lipitor", "brand")])])
def test_a_bracket_that_says_how_to_say_a_name_or_qualifies_it_is_no_alias(sentence, aliases):
    name = sentence.split()[0].split("(")[0]
    out = rows(f"Side effects\n\n{sentence}\n\n{name} can cause:\n- nausea", title=f"{name} Side Effects")
    assert [(a.therapy_id, a.alias, a.kind) for a in out["therapy_aliases"]] == aliases


def test_items_after_a_lead_in_and_a_blank_line():
    result = case("items_after_a_lead_in_and_a_blank_line")
    assert [(e.item_text, e.seriousness, e.action) for e in result.rows["therapy_side_effects"]] == [
        ("nosebleeds or bleeding gums", "serious", "contact_doctor"),
        ("coughing up blood or vomiting material that looks like coffee grounds", "serious", "contact_doctor"),
        ("dark urine", "serious", "contact_doctor")]
    doc = parse((RULES / "items_after_a_lead_in_and_a_blank_line.txt").read_text(encoding="utf-8"), "a.txt")
    precautions = doc.root.children[-1]
    assert [(b.kind, len(b.items)) for b in precautions.blocks] == [(Kind.PARAGRAPH, 0), (Kind.LIST, 2)]


def test_a_table_of_side_effects_and_what_to_do_about_them():
    page = ("<html><body><main><h1>Alpha vs. Beta</h1><p>Both are tablets.</p>"
            "<h2>What to expect</h2><table><thead><tr>"
            "<th>Common side effects of alpha and beta (these affect between 1 in 10 and 1 in 100 people)</th>"
            "<th>What can I do if I experience this?</th></tr></thead><tbody>"
            "<tr><td>Headache</td><td>Drink water. If it carries on, speak with your doctor</td></tr>"
            "<tr><td>Dry mouth</td><td>Chew sugar-free gum</td></tr></tbody></table>"
            "<p>Beta (often called the beta pill) is taken once a day.</p></main></body></html>")
    out = extract_text(page, "a.html", "0" * 64, "a.html").rows
    assert [(e.therapy_id, e.item_text, e.frequency, e.frequency_lower, e.frequency_upper, e.action)
            for e in out["therapy_side_effects"]] == [
        ("alpha", "Headache", "common", 0.01, 0.1, "contact_doctor"),
        ("beta", "Headache", "common", 0.01, 0.1, "contact_doctor"),
        ("alpha", "Dry mouth", "common", 0.01, 0.1, "not_stated"),
        ("beta", "Dry mouth", "common", 0.01, 0.1, "not_stated")]
    assert [(a.therapy_id, a.alias, a.kind) for a in out["therapy_aliases"]] == [("beta", "the beta pill", "gloss")]


def test_a_heading_asking_whether_it_can_cause_problems_is_about_side_effects():
    assert language.SIDE_EFFECTS.search("Can omeprazole and lansoprazole cause problems?")
    assert not language.SIDE_EFFECTS.search("Problems with sleep")


def test_prose_lists_after_a_described_subject_and_what_an_act_causes():
    """``Very common side effects, which affect ..., are A, B and C`` lists side effects (and, listing its own,
    lends the next list no rate); ``call triple zero (000) for an ambulance`` is emergency care; a short item
    over a sub-list gives the sub-items as its examples; what an act causes ("stopping smoking can cause") is
    no side effect of an approach, even in a sentence that says "whichever therapy"."""
    out = case("prose_lists_after_a_described_subject_and_what_an_act_causes").rows
    assert [(t.side_effect_id, t.frequency, t.frequency_lower, t.action) for t in out["therapy_side_effects"]] == [
        ("nausea", "very_common", 0.1, "not_stated"), ("headaches", "very_common", 0.1, "not_stated"),
        ("vivid-dreams", "very_common", 0.1, "not_stated"), ("a-dry-mouth", "not_stated", None, "not_stated"),
        ("swelling-of-your-face", "not_stated", None, "seek_emergency_care"),
        ("skin-changes", "common", None, "not_stated"), ("mouth-sores", "common", None, "not_stated")]
    assert [(e.side_effect_id, e.position, e.example) for e in out["side_effect_examples"]] == [
        ("skin-changes", 1, "a rash on the chest"), ("skin-changes", 2, "dry skin")]


def test_types_and_drugs_past_described_items_and_examples_of_a_type():
    """A type's enumeration goes on past the verb of a clause that describes an item (``, which are small
    ...,``); ``Examples of X are A and B`` gives X's drugs; a lead-in whose list follows its colon gives no type
    from the words after ``are``; ``Depending on the product, X is approved to treat:`` lists uses, not what
    the choice depends on."""
    out = case("types_and_drugs_past_described_items_and_examples_of_a_type").rows
    assert [(t.name, t.level, t.parent_id) for t in out["document_therapies"][2:]] == [
        ("small beta drugs", "type", "beta-therapy"), ("beta antibodies", "type", "beta-therapy"),
        ("corvane", "drug", "beta-antibodies"), ("lisdrel", "drug", "beta-antibodies"),
        ("Alpha gels", "type", "alpha-therapy"), ("Alpha sprays", "type", "alpha-therapy")]
    assert out["decision_factors"] == []
    assert [(i.therapy_id, i.item_text) for i in out["indications"]] == [("beta-therapy", "eczema"),
                                                                       ("beta-therapy", "psoriasis")]


def test_rates_out_of_usual_to_have_and_frequencies_in_a_table():
    """``it is common to have A, B and C`` lists side effects (and so lends the next list no frequency);
    ``1 out of 20`` is a rate; in a table of an approach's columns (applicable? / frequency) the approach's own
    cells give its rate."""
    tse = case("rates_out_of_usual_to_have_and_frequencies_in_a_table").rows["therapy_side_effects"]
    assert [(t.therapy_id, t.side_effect_id, t.frequency, t.frequency_lower, t.frequency_upper) for t in tse] == [
        ("alpha-therapy", "a-sore-arm", "common", None, None), ("alpha-therapy", "a-mild-fever", "common", None, None),
        ("alpha-therapy", "tiredness", "common", None, None),
        ("alpha-therapy", "headaches", "not_stated", 0.05, 0.05),
        ("alpha-therapy", "nausea", "not_stated", 0.03, 0.03), ("beta-therapy", "nausea", "not_stated", 0.01, 0.01),
        ("beta-therapy", "rash", "not_stated", 0.02, 0.02)]


def test_uses_under_why_is_it_done_recommended_if_you_have():
    """Under "Why is it done?", ``may recommend X if you have:`` lists what X is for; elsewhere ``if you have:``
    after "Tell your doctor" lists no uses."""
    out = case("uses_under_why_is_it_done_recommended_if_you_have").rows
    assert [(i.therapy_id, i.item_text) for i in out["indications"]] == [
        ("beta-therapy", "Bladder stones"), ("beta-therapy", "Repeated infections")]


def test_brands_sold_as_and_factors_under_compare_your_options():
    """``X is sold as A and B, and Y as C`` gives each its brands; "Compare your options" is about choosing."""
    out = case("brands_sold_as_and_factors_under_compare_your_options").rows
    assert [(a.therapy_id, a.alias) for a in out["therapy_aliases"] if a.kind == "brand"] == [
        ("alpha-therapy", "Alvex"), ("alpha-therapy", "Alvira"), ("beta-therapy", "Betamist")]
    assert [(f.label, f.text) for f in out["decision_factors"]] == [
        ("Cost", "Alpha therapy costs less."), ("Time", "Beta therapy works faster.")]


def test_conditions_marked_off_label_and_populations_that_are_no_condition():
    """An ``Off-label`` cell marks a condition an approach is used for, as ``Yes`` does; who uses it
    ("Adults and children 6 years and older") is no condition."""
    out = rows("Uses\n\nCondition\tAlpha therapy\tBeta therapy\nGout\tYes\tOff-label\nAcne\tNo\tYes\n")
    assert [(i.therapy_id, i.item_text) for i in out["indications"]] == [
        ("alpha-therapy", "Gout"), ("beta-therapy", "Gout"), ("beta-therapy", "Acne")]
    assert condition_name(span("Adults and children 6 years and older")) is None
    assert condition_name(span("Menopause symptoms")).value == "Menopause symptoms"


def test_a_bracketed_name_with_a_small_word_in_it_is_a_brand_not_an_abbreviation():
    out = rows("Alpha therapy\n\nAlpha therapy (Al-Liquid) is a syrup. Beta therapy (BT) is a spray.\n")
    assert sorted((a.therapy_id, a.alias, a.kind) for a in out["therapy_aliases"]) == [
        ("alpha-therapy", "Al-Liquid", "brand"), ("beta-therapy", "BT", "abbreviation")]


def test_a_class_named_with_its_abbreviation_inside_is_called_by_it():
    """``Alpha-2 (A2) Blockers``: the text's ``A2 blockers`` is its abbreviation (and names it as a subject),
    ``an A2 blocker`` another form of that."""
    out = rows("How they work\n\nA2 blockers include alvexin and betarol. An A2 blocker works within an hour.\n",
               title="Alpha-2 (A2) Blockers vs. Beta Therapy")
    assert [(a.therapy_id, a.alias, a.kind) for a in out["therapy_aliases"]] == [
        ("alpha-2-a2-blockers", "A2 blockers", "abbreviation"), ("alpha-2-a2-blockers", "A2 blocker", "form")]
    assert [(t.therapy_id, t.parent_id) for t in out["document_therapies"] if t.level == "drug"] == [
        ("alvexin", "alpha-2-a2-blockers"), ("betarol", "alpha-2-a2-blockers")]


def test_a_table_of_generic_names_and_their_brand_names():
    """A column headed ``Brand names`` beside the names: each row's brands, capitals and all."""
    out = rows("Alpha therapy\n\nAlpha therapy includes alvexin and betamol.\n\n"
               "Generic name\tBrand names\nalvexin\tALVEX, ALVEX XR\nbetamol\tBETAMIST\n")
    assert [(a.therapy_id, a.alias, a.kind) for a in out["therapy_aliases"]] == [
        ("alvexin", "ALVEX", "brand"), ("alvexin", "ALVEX XR", "brand"), ("betamol", "BETAMIST", "brand")]


def test_a_paragraph_past_a_heading_gives_a_list_to_no_one_unless_it_points_ahead():
    """The paragraph before a lead-in names the list's approach from its own section; past a heading only where
    it speaks of what follows ("the signs below")."""
    body = ("Buying it\n\nAn alpha therapy pack lasts a month.\n\nWarning signs\n\n"
            "See a doctor if you have any of these warning signs:\n\n- Chest pain\n- Fainting\n")
    assert rows(body)["therapy_side_effects"] == []
    ahead = body.replace("An alpha therapy pack lasts a month.", "The signs below are those of alpha therapy.")
    assert [(e.therapy_id, e.item_text) for e in rows(ahead)["therapy_side_effects"]] == [
        ("alpha-therapy", "Chest pain"), ("alpha-therapy", "Fainting")]


def test_a_table_of_the_approaches_with_a_column_of_their_side_effects():
    """A row per approach and a ``Some side effects`` column: the cell's enumeration is the row's approach's;
    a row naming no approach gives none."""
    out = rows("Medicines at a glance\n\nThe table compares them.\n\nType\tSome side effects\tComments\n"
               "Alpha therapy\tHeadache, rash and nausea\tTaken daily\nBeta therapy\tDizziness\tTaken weekly\n"
               "Gamma pills\tCough\tOld\n")
    assert [(e.therapy_id, e.item_text) for e in out["therapy_side_effects"]] == [
        ("alpha-therapy", "Headache"), ("alpha-therapy", "rash"), ("alpha-therapy", "nausea"),
        ("beta-therapy", "Dizziness")]


def test_side_effects_said_to_be_uncommon_and_to_include_an_enumeration():
    out = rows("Side effects\n\nSide effects of beta therapy are uncommon and include headache, dizziness and rash.\n")
    assert [(e.therapy_id, e.item_text, e.frequency) for e in out["therapy_side_effects"]] == [
        ("beta-therapy", "headache", "uncommon"), ("beta-therapy", "dizziness", "uncommon"),
        ("beta-therapy", "rash", "uncommon")]


def test_how_often_an_items_examples_happen_and_the_words_of_other_items_are_not_its_own():
    """``(fever, chills or frequent coughs)``: "frequent" is the examples', the lead-in's "Rarely" the item's; in
    ``mild aches, tiredness and ...`` only the aches are mild."""
    out = rows("Side effects of alpha therapy\n\nRarely, alpha therapy causes serious problems, so call your doctor "
               "if you notice:\n\n- Signs of infection (fever, chills or frequent coughs)\n\n"
               "Side effects of beta therapy\n\nBeta therapy can cause mild aches, tiredness and a brief rise in "
               "pain.\n")
    assert [(e.item_text, e.frequency, e.severity) for e in out["therapy_side_effects"]] == [
        ("Signs of infection (fever, chills or frequent coughs)", "rare", "not_stated"),
        ("mild aches", "not_stated", "mild"),
        ("tiredness", "not_stated", "not_stated"), ("a brief rise in pain", "not_stated", "not_stated")]


def test_a_likeness_after_a_dash_is_no_example():
    assert take_apart(span("a flare – swelling that looks like an infection (rare)")).examples == []
    assert [e.value for e in take_apart(span("a flare – symptoms like fever")).examples] == ["fever"]


def test_used_mainly_for_a_long_listed_condition_and_no_comparison_of_how_often():
    out = rows("Uses\n\nBeta therapy is used mainly for:\n\n- Occasional heartburn\n"
               "- Damage to the lining of the gullet caused by acid\n\n"
               "Beta therapy is used for ulcers less often than it once was.\n")
    assert [(i.therapy_id, i.item_text) for i in out["indications"]] == [
        ("beta-therapy", "Occasional heartburn"), ("beta-therapy", "Damage to the lining of the gullet caused by acid")]


def test_types_named_by_what_their_drugs_do_listed_under_uses_are_no_conditions():
    """``Drugs that block alpha receptors:`` is a type; ``Alpha suppression, using drugs such as betamol`` the
    type "Alpha suppression"; types listed under a uses heading are not what the approach treats."""
    text = ("# Alpha therapy vs. Beta therapy\n\n## When is alpha therapy used?\n\n"
            "There are three main kinds of alpha therapy:\n\n- Drugs that block alpha receptors:\n  - Alvexin\n"
            "- Alpha suppression, using drugs such as betamol (Betavex) to stop the glands\n"
            "- Alpha gels (AGs):\n  - Gelvex\n")
    out = extract_text(text, "a.md", "0" * 64, "a.md").rows
    assert [(t.therapy_id, t.level, t.parent_id) for t in out["document_therapies"]][2:] == [
        ("drugs-that-block-alpha-receptors", "type", "alpha-therapy"),
        ("alvexin", "drug", "drugs-that-block-alpha-receptors"), ("alpha-suppression", "type", "alpha-therapy"),
        ("betamol", "drug", "alpha-suppression"), ("alpha-gels", "type", "alpha-therapy"),
        ("gelvex", "drug", "alpha-gels")]
    assert out["indications"] == []


def test_a_heading_naming_two_members_leaves_the_list_to_the_heading_above():
    text = ("# Alpha therapy vs. Beta therapy\n\nAlpha therapy includes alvexin and betamol.\n\n"
            "## Side effects of alpha therapy\n\n### Alvexin and betamol\n\n"
            "The most common side effects of these drugs are:\n\n- Rash\n")
    out = extract_text(text, "a.md", "0" * 64, "a.md").rows
    assert [(e.therapy_id, e.item_text) for e in out["therapy_side_effects"]] == [("alpha-therapy", "Rash")]


def test_other_names_a_type_a_numbered_abbreviation_and_two_names_after_also_called():
    """A type's other number (``an alpha gel``); ``5-fluoroalvex (5-FA)``; ``(also called gamma care or
    alphatic therapy)``: each name, another form of the words or a gloss; ``(sometimes called a beta course)``."""
    out = rows("What they are\n\nAlpha therapy (also called gamma care or alphatic therapy) is old. Beta therapy "
               "(sometimes called a beta course) is new.\n\nTypes of alpha therapy include alpha gels and alpha "
               "sprays. An alpha gel is rubbed in. Alpha therapy includes 5-fluoroalvex (5-FA).\n")
    assert sorted((a.therapy_id, a.alias, a.kind) for a in out["therapy_aliases"]) == [
        ("5-fluoroalvex", "5-FA", "abbreviation"), ("alpha-gels", "alpha gel", "form"),
        ("alpha-therapy", "alphatic therapy", "form"), ("alpha-therapy", "gamma care", "gloss"),
        ("beta-therapy", "beta course", "gloss")]


def test_there_are_two_main_types_in_an_approachs_part():
    out = rows("Alpha therapy\n\nThere are two main types: a short course (SC), which lasts a week, and a long course "
               "(sometimes called a slow course), which lasts a month.\n")
    assert [(t.therapy_id, t.level, t.parent_id) for t in out["document_therapies"]][2:] == [
        ("short-course", "type", "alpha-therapy"), ("long-course", "type", "alpha-therapy")]
    assert [(a.therapy_id, a.alias, a.kind) for a in out["therapy_aliases"]] == [
        ("short-course", "SC", "abbreviation"), ("long-course", "slow course", "gloss")]


def test_a_table_a_lead_in_gives_to_side_effects_and_a_range_of_rates():
    """After ``Some problems are less common but can be serious:`` a table's rows are side effects, whatever its
    header; ``1 to 2 in 100 people`` is a range."""
    out = rows("Risks of alpha therapy\n\nSome problems are less common but can be serious:\n\n"
               "Problem\tHow many people get it?\nBlood clots\t1 to 2 in 100 people\n"
               "Infection\tup to 1 in 100 people\n")
    assert [(e.therapy_id, e.item_text, e.frequency, e.frequency_lower, e.frequency_upper, e.seriousness)
            for e in out["therapy_side_effects"]] == [
        ("alpha-therapy", "Blood clots", "less_common", 0.01, 0.02, "serious"),
        ("alpha-therapy", "Infection", "less_common", None, 0.01, "serious")]


def test_a_label_in_a_questions_words_and_what_matters_to_you_is_about_choosing():
    from pipeline.labels import labelled
    assert labelled(span("Who it is for: adults with knee pain.")) is not None
    assert labelled(span("There are two kinds: A and B.")) is None
    assert language.CHOOSING.search("What matters to you?")
    assert not language.CHOOSING.search("About this decision aid")


def test_a_measure_in_other_units_at_the_end_of_an_item_is_not_its_name():
    assert take_apart(span("A fever over 102 degrees Fahrenheit (38.9 degrees Celsius)")).name.value == \
        "A fever over 102 degrees Fahrenheit"
    assert take_apart(span("A fever of 39°C (102°F) or higher")).name.value == "A fever of 39°C (102°F) or higher"


def test_a_paragraph_that_speaks_of_what_follows_gives_the_lists_of_the_sections_after_it():
    """``The signs below are the same after alpha therapy and beta therapy``, then two sections of lists that name
    no approach: each list is both's; a heading naming an approach ends it."""
    out = rows("When to get help\n\nThe signs below are the same after alpha therapy and beta therapy.\n\n"
               "When should I call my doctor?\n\nCall your doctor if you have:\n\n- A fever\n\n"
               "When should I call 911?\n\nCall 911 if you have:\n\n- Chest pain\n\n"
               "Alpha therapy at home\n\nCall your nurse if you have:\n\n- A rash\n")
    assert [(e.therapy_id, e.item_text) for e in out["therapy_side_effects"]] == [
        ("alpha-therapy", "A fever"), ("beta-therapy", "A fever"), ("alpha-therapy", "Chest pain"),
        ("beta-therapy", "Chest pain"), ("alpha-therapy", "A rash")]


def test_a_side_effects_row_of_a_table_of_the_approaches_and_signs_described_as_severe():
    """``Side effects`` row in a table whose columns are the approaches: each cell's enumeration; ``if you have any
    of these rare but life-threatening signs:`` says how severe they are (``if it gets severe`` would not)."""
    out = rows("Compare your options\n\nThe table puts them side by side.\n\n"
               "What to think about\tAlpha therapy\tBeta therapy\nHow it is given\tA pill\tA shot\n"
               "Side effects\tDizziness, stuffy nose\tBruising\n\n"
               "Side effects of beta therapy\n\nCall 911 if you have any of these rare but life-threatening signs:\n\n"
               "- Trouble breathing\n\nTell your doctor if any of these signs are severe:\n\n- Headache\n")
    assert [(e.therapy_id, e.item_text, e.severity) for e in out["therapy_side_effects"]] == [
        ("alpha-therapy", "Dizziness", "not_stated"), ("alpha-therapy", "stuffy nose", "not_stated"),
        ("beta-therapy", "Bruising", "not_stated"), ("beta-therapy", "Trouble breathing", "life_threatening"),
        ("beta-therapy", "Headache", "not_stated")]


def test_what_an_approach_is_not_for_and_a_long_bracket_in_an_enumeration():
    """``should not be used to treat A`` gives no use; a bracket's words do not make an item too long to list
    (``A (a condition in which the gland does not make enough hormone) and B``)."""
    out = rows("Uses\n\nAlpha therapy should not be used to treat obesity. Alpha therapy is used to treat gland "
               "failure (a condition in which the gland does not make enough of its hormone) and bone loss.\n")
    assert [(i.therapy_id, i.item_text) for i in out["indications"]] == [
        ("alpha-therapy", "gland failure"), ("alpha-therapy", "bone loss")]
    assert condition_name(span("to treat or prevent goiter")).value == "goiter"


def test_drugs_of_a_class_counted_sold_over_the_counter_or_other_and_uses_of_both():
    """``There are five alpha drugs available in the UK:``, ``Alpha drugs you can buy without a prescription
    include:``, ``other alpha drugs, such as A``: the class's drugs; ``Both can relieve:``, ``they may work better
    for:`` and ``may offer you X if you have:`` lead uses in; ``pain from a cold`` is a condition."""
    text = ("# Alpha drugs vs. Beta therapy\n\n## Kinds\n\nThere are two alpha drugs available in the UK:\n\n"
            "- alvexin (Alvo)\n- betarol\n\nAlpha drugs you can buy without a prescription include:\n\n- gammadol\n\n"
            "Your doctor can prescribe stronger doses or other alpha drugs, such as deltamab and epsilor.\n\n"
            "## What are they used for?\n\nAlpha drugs and beta therapy both can relieve:\n\n- pain from a cold\n\n"
            "Because alpha drugs calm swelling, they may work better for:\n\n- sprains\n\n"
            "Your doctor may offer you beta therapy if you have:\n\n- gout\n")
    out = extract_text(text, "a.md", "0" * 64, "a.md").rows
    assert [t.therapy_id for t in out["document_therapies"] if t.level == "drug"] == [
        "alvexin", "betarol", "gammadol", "deltamab", "epsilor"]
    assert [(i.therapy_id, i.item_text) for i in out["indications"]] == [
        ("alpha-drugs", "pain from a cold"), ("beta-therapy", "pain from a cold"), ("alpha-drugs", "sprains"),
        ("beta-therapy", "gout")]


def test_a_lead_in_naming_a_second_therapy_taken_with_the_first_gives_the_list_to_the_first():
    out = rows("Side effects\n\nIf you take beta therapy with alpha therapy, you may also notice:\n\n- Headaches\n\n"
               "Beta therapy is used to treat gout, either on its own or together with alpha therapy.\n")
    assert [(e.therapy_id, e.item_text) for e in out["therapy_side_effects"]] == [("beta-therapy", "Headaches")]
