"""The document model: one test per block kind, line end, format and piece of furniture, on fixture files named
after the case (tests/fixtures/blocks). Trees are written in the layout of tests/articles/README.md."""

from __future__ import annotations

import pytest
from conftest import FIXTURES

from pipeline.document import Kind, Span
from pipeline.errors import PipelineError
from pipeline.lines import line_of
from pipeline.names import subjects
from pipeline.parse import FORMATS, outline, parse
from pipeline.parse.furniture import heads_a_box, line_kind

BLOCKS = FIXTURES / "blocks"


def parsed(name: str):
    path = BLOCKS / name
    text = path.read_bytes().decode("utf-8")
    return parse(text, str(path), FORMATS[path.suffix]), text


def tree(*lines: str) -> str:
    return "\n".join(lines) + "\n"


def spans(doc):
    """Every span of the model: title, headings, blocks, items (nested), cells, labels, answers."""
    found = [doc.title]

    def of_block(block):
        yield block.span
        yield from (s for s in (block.label, block.body) if s is not None)
        stack = list(block.items)
        while stack:
            item = stack.pop()
            yield item.span
            for child in item.children:
                stack.extend(child.items)
        yield from (cell for row in block.rows for cell in row)
        for answer in block.answer:
            yield from of_block(answer)

    for section in doc.sections():
        found.append(section.heading)
        for block in section.blocks:
            found.extend(of_block(block))
    return found


def test_title_disclaimer_and_stray_repeat():
    doc, _ = parsed("title_disclaimer_and_stray_repeat.txt")
    assert doc.title.value == "Aspirin vs Ibuprofen: Which One"
    assert doc.disclaimer.value == "All materials on the site are for informational purposes!"
    assert outline(doc) == tree("h1 Aspirin vs Ibuprofen: Which One", "  h2 What is Aspirin?",
                                "    paragraph A paragraph.")
    assert [(f.kind, f.text) for f in doc.furniture] == [("repeat", "Aspirin vs Ibuprofen: Which One")]


def test_headings_subheadings_and_a_label_line_that_groups():
    doc, _ = parsed("headings_and_subheadings.txt")
    assert outline(doc) == tree(
        "h1 A vs B", "  paragraph Disclaimer line.", "  h2 What Are the Side Effects of A?",
        "    h3 Common Side Effects", "      paragraph Text under a title-case subheading.", "      h4 Cancer",
        "        paragraph Text under a colon subheading.")
    cancer = [s for s in doc.sections() if s.heading.value == "Cancer"][0]
    assert cancer.group and cancer.path[-1].value == "Cancer"


def test_bullets_of_each_marker_are_lists_in_order():
    doc, _ = parsed("bullets.txt")
    assert outline(doc).splitlines()[3:] == [
        "    list", "      - First item", "      - Second item, such as x or y", "    list", "      - Dash item",
        "      - Another dash item", "    list", "      - Star item"]


def test_a_numbered_table_with_an_odd_count_reads_in_number_order():
    doc, _ = parsed("numbered_table_odd_count.txt")
    (listed,) = [b for s in doc.sections() for b in s.blocks if b.kind is Kind.LIST]
    assert [(i.number, i.span.value) for i in listed.items] == [
        (1, "One"), (2, "Two"), (3, "Three"), (4, "Four"), (5, "Five"), (6, "Six"), (7, "Seven")]


def test_a_numbered_table_with_tabs_and_spaces_between_columns():
    doc, _ = parsed("numbered_table_tabs_and_spaces.txt")
    (listed,) = [b for s in doc.sections() for b in s.blocks if b.kind is Kind.LIST]
    assert [i.span.value for i in listed.items] == ["Alpha item", "Beta item", "Gamma item", "Delta item"]


def test_a_numbered_list_of_one_column():
    doc, _ = parsed("numbered_list_one_column.txt")
    (listed,) = [b for s in doc.sections() for b in s.blocks if b.kind is Kind.LIST]
    assert [i.span.value for i in listed.items] == ["Only", "A plain", "List"] and listed.ordered


def test_labelled_paragraphs_split_label_and_text():
    doc, _ = parsed("labelled_paragraphs.txt")
    labelled = [b for s in doc.sections() for b in s.blocks if b.kind is Kind.LABELLED]
    assert [(b.label.value, b.body.value) for b in labelled] == [
        ("Check the goal", "Decide what matters most."), ("Ask a doctor", "They know your history.")]


def test_questions_and_answers_after_the_qa_heading():
    doc, _ = parsed("questions_and_answers.txt")
    qa = doc.root.children[-1]
    assert qa.qa and outline(doc).splitlines()[-6:] == [
        "  h2 Questions and answers", "    question Is A better?", "      paragraph It depends.",
        "      paragraph Second paragraph of the answer.", "    question Is B safe?", "      paragraph Mostly."]
    questions = [b for b in qa.blocks if b.kind is Kind.QUESTION]
    assert [(q.span.value, [a.span.value for a in q.answer]) for q in questions] == [
        ("Is A better?", ["It depends.", "Second paragraph of the answer."]), ("Is B safe?", ["Mostly."])]


@pytest.mark.parametrize("name, lines", [
    ("crlf_line_ends.txt", (7, 8)), ("cr_line_ends.txt", (6, 7)), ("unicode_line_separators.txt", (7, 8)),
    ("crlf_dash_bullets.txt", (7, 8))])
def test_every_kind_of_line_end_keeps_offsets_and_lines_exact(name, lines):
    doc, text = parsed(name)
    (listed,) = [b for s in doc.sections() for b in s.blocks if b.kind is Kind.LIST]
    assert [i.span.line for i in listed.items] == list(lines)
    for item in listed.items:
        assert text[item.span.start:item.span.end] == item.span.value
        assert line_of(text, item.span.start) == item.span.line


def test_bullets_after_no_break_and_zero_width_spaces():
    doc, _ = parsed("bullets_after_nbsp_and_zero_width_space.txt")
    (listed,) = [b for s in doc.sections() for b in s.blocks if b.kind is Kind.LIST]
    assert [i.span.value for i in listed.items] == ["Tablets", "Syrup"]


def test_a_lead_in_line_is_a_paragraph_not_a_group():
    doc, _ = parsed("crlf_line_ends.txt")
    assert outline(doc) == tree("h1 Alpha vs Beta", "  h2 What is Alpha?", "    paragraph Alpha comes as:",
                                "    list", "      - Tablets", "      - Syrup")


def test_markdown_headings_nested_lists_tables_bold_groups_and_front_matter():
    doc, text = parsed("markdown_headings_lists_and_table.md")
    assert outline(doc) == tree(
        "h1 Alpha vs Beta", "  paragraph Both are medicines.", "  h2 What is Alpha?", "    paragraph Alpha comes as:",
        "    list", "      - tablets", "        - small", "      - syrup", "    h3 Side effects", "      table",
        "        | Side effect | Alpha | Beta |", "        | Rash | ✓ |  |", "      h4 Rare", "        list",
        "          - Fainting", "          - Fever", "        labelled Cost", "  h2 Frequently asked questions",
        "    question Is Alpha safe?", "      paragraph Mostly, yes.")
    assert (doc.format, doc.meta.author, doc.meta.date_published, doc.meta.url) == (
        "md", "A. Writer", "2024-05-01", "https://example.org/alpha-vs-beta")
    for span in spans(doc):
        assert text != doc.text and doc.text[span.start:span.end] == span.value


def test_html_main_content_without_its_furniture_and_with_its_metadata():
    doc, _ = parsed("html_page_furniture_and_structure.html")
    assert outline(doc) == tree(
        "h1 Alpha vs Beta", "  paragraph Both are medicines – each", "  h2 What is Alpha?",
        "    paragraph Alpha comes as a tablet.", "    h3 Side effects", "      list", "        - Rash",
        "        - Nausea", "          - in the morning", "      h4 Rare", "        list", "          - Fainting",
        "  h2 How to choose", "    labelled Cost", "    question Can I take both?", "      paragraph No.",
        "  h2 Frequently asked questions", "    question Is Alpha safe?", "      paragraph Mostly, yes.")
    assert (doc.meta.publisher, doc.meta.author, doc.meta.date_published, doc.meta.date_modified, doc.meta.url) == (
        "Example Health", "A. Writer", "2024-01-02", "2024-03-04", "https://example.org/ab")
    for hidden in ("cookies", "Editorial note", "A to Z", "Related", "©", "window.ads", "color: red"):
        assert hidden not in doc.text
    assert "Alpha comes as a tablet." in doc.text  # (&nbsp; read as a space)
    for span in spans(doc):
        assert doc.text[span.start:span.end] == span.value


def test_each_kind_of_page_furniture_is_set_aside():
    doc, _ = parsed("furniture_of_each_kind.txt")
    assert [(f.kind, f.text) for f in doc.furniture] == [
        ("breadcrumb", "Home > Medicines > Alpha"), ("byline", "Written by A. Writer"),
        ("byline", "Medically reviewed by B. Reviewer, MD"), ("date", "Updated on March 4, 2024"),
        ("share", "Share   Print   Email"), ("image", "A nurse holds a box of tablets. (Image: Example Images)"),
        ("toc", "In this article"), ("promo", "Advertisement"), ("promo", "Sign up for our newsletter"),
        ("related", "Related articles")]
    assert outline(doc) == tree(
        "h1 Alpha vs Beta", "  paragraph Alpha and Beta are medicines.", "  h2 What is Alpha?",
        "    paragraph Alpha comes as a tablet.", "  h2 What is Beta?", "    paragraph Beta comes as a syrup.")


def test_every_span_points_at_its_text():
    for path in sorted(BLOCKS.iterdir()):
        text = path.read_bytes().decode("utf-8")
        doc = parse(text, str(path), FORMATS[path.suffix])
        for span in spans(doc):
            assert doc.text[span.start:span.end] == span.value, path.name
            assert line_of(doc.text, span.start) == span.line, (path.name, span)


def test_text_without_headings_is_rejected():
    with pytest.raises(PipelineError, match="no recognisable structure"):
        parse("Just a title\n\nAnd one paragraph.\n", "plain.txt")


def test_repeated_number_in_a_table_is_rejected_with_its_line():
    with pytest.raises(PipelineError) as error:
        parse("A vs B\n\nDisclaimer.\n\nWhat?\n\n1. One 2. Two\n2. Again\n", "dup.txt")
    assert str(error.value) == "dup.txt:8: numbered list repeats item 2"


def test_an_unknown_format_is_an_error():
    with pytest.raises(PipelineError, match="no reader for the format 'pdf'"):
        parse("A vs B\n\nWhat?\n\nText.\n", "a.pdf", "pdf")


def test_html_white_space_collapses_as_a_browser_shows_it_and_br_breaks_the_line():
    page = ("<html><body><main><h1>Aspirin vs Ibuprofen</h1><h2>Overview</h2><p>Wrapped\n   in the\tsource</p>"
            "<p>First line<br>second\nline</p></main></body></html>")
    doc = parse(page, "wrapped.html", "html")
    assert doc.text == "Aspirin vs Ibuprofen\n\nOverview\n\nWrapped in the source\n\nFirst line\nsecond line\n"


def test_a_closing_about_box_that_names_no_approach_is_promotion():
    path = FIXTURES / "rules" / "a_closing_about_box_that_names_no_approach.txt"
    doc = parse(path.read_text(encoding="utf-8"), str(path))
    assert [s.heading.value for s in doc.root.walk()] == ["Alpha Therapy vs. Beta Therapy", "About alpha therapy",
                                                          "Side effects"]
    assert [(f.kind, f.text) for f in doc.furniture] == [
        ("promo", "About the Riverside Pain Center"),
        ("promo", "The Riverside Pain Center helps people manage pain with many treatments.")]


@pytest.mark.parametrize("line, kind", [
    ("Last medically reviewed on March 4, 2024", "date"),
    ("Portions of this document last updated: March 1, 2025", "date"),
    ("Ask your doctor when your dose was last updated", None),
    ("Get Healthy Tips Sent to Your Phone!", "promo")])
def test_dates_of_review_and_tips_sent_to_you_are_furniture(line, kind):
    assert line_kind(line) == kind


def test_a_credit_line_right_after_an_image_is_image_furniture():
    text = ("# Alpha vs. Beta\n\n![Two boxes of tablets](boxes.jpg)\n\nNorth Desk / Ana Ruiz\n\n"
            "Alpha and beta are both tablets.\n\n## Side effects\n\n- a headache\n")
    doc = parse(text, "a.md", "md")
    assert [(f.kind, f.text) for f in doc.furniture] == [("image", "Two boxes of tablets"),
                                                        ("image", "North Desk / Ana Ruiz")]
    assert [b.span.value for b in doc.root.blocks] == ["Alpha and beta are both tablets."]


def test_a_title_name_keeps_its_words_before_a_bracket():
    title = "Escitalopram (Lexapro) vs. Sertraline (Zoloft): Which Is Right for Me?"
    assert [s.value for s in subjects(Span(title, 1, 0, len(title)))] == ["Escitalopram", "Sertraline"]
    title = "Gabapentin (Oral Route)"
    assert [s.value for s in subjects(Span(title, 1, 0, len(title)))] == ["Gabapentin"]


@pytest.mark.parametrize("line, kind", [
    ("Was this page helpful?", "promo"), ("Read this next", "related"), ("Current version: March 4, 2024", "date"),
    ("How we reviewed this article: our editors check new research and update the article when it changes.",
     "byline"), ("Print leaflet", "share")])
def test_feedback_next_reads_review_notes_and_print_lines_are_furniture(line, kind):
    assert line_kind(line) == kind


def test_a_call_to_action_container_is_promotion():
    page = ("<html><body><main><h1>Alpha vs. Beta</h1><p>Alpha and beta are tablets.</p>"
            "<div class='cta-appointment'><a href='/a'>Request an appointment</a></div>"
            "<h2>Side effects</h2><ul><li>nausea</li></ul></main></body></html>")
    doc = parse(page, "a.html", "html")
    assert [(f.kind, f.text) for f in doc.furniture] == [("promo", "Request an appointment")]


def test_a_title_name_stops_before_a_strength():
    title = "Atorvastatin 20 mg film-coated tablets"
    assert [s.value for s in subjects(Span(title, 1, 0, len(title)))] == ["Atorvastatin"]


def test_a_comparison_title_stays_the_title_when_one_approach_never_comes_back():
    doc = parse("A vs B\n\nSide effects of A\n\nA can cause rash and a headache.\n", "a.txt")
    assert doc.root.heading.value == "A vs B"
    assert [s.heading.value for s in doc.root.children] == ["Side effects of A"]


@pytest.mark.parametrize("line, kind", [
    ("To use the sharing features on this page, please enable JavaScript.", "share"),
    ("Browse Drugs and Medicines", "related")])
def test_a_sharing_note_and_a_browse_box_are_furniture(line, kind):
    assert line_kind(line) == kind or (kind == "related" and heads_a_box(line) == kind)


def test_a_title_followed_by_headings_only_stays_the_title():
    """(make bench's "empty side-effect headings": no heading after the title is a category label's title.)"""
    text = "Alpha Therapy vs Beta Therapy: What to Know\n\nSide effects of alpha therapy\n\n" + "Side effects\n\n" * 50
    assert parse(text, "a.txt").root.heading.value == "Alpha Therapy vs Beta Therapy: What to Know"


def test_only_the_first_heading_lines_are_candidates_for_the_title():
    """A title below the first eight heading lines is not looked for (an article of nothing but headings would
    otherwise cost each candidate a search of all the text after it)."""
    lines = [f"Topic {number}" for number in range(10)] + ["Alpha vs. Beta", "Alpha can cause:", "- rash"]
    assert parse("\n\n".join(lines) + "\n", "a.txt").root.heading.value == "Topic 0"


@pytest.mark.parametrize("line, kind", [
    ("Share this page to Facebook · Share this page to X · Share this page via Email", "share"),
    ("You might also be interested in…", "related"), ("Free Healthbeat Signup", "promo"),
    ("Questions about cancer? Call our nurses free on 0800 123 4567, Monday to Friday.", "promo"),
    ("Image: © A. Photographer/Northwind Images", "image"),
    ("Call your doctor on 0800 123 4567 if the rash spreads.", None)])
def test_share_lines_interest_lists_signups_helplines_and_image_credits_are_furniture(line, kind):
    assert line_kind(line) == kind


def test_an_about_the_author_box_followed_by_other_boxes_is_a_byline():
    """An "About the author" heading that only boxes of furniture follow, to the page's end: the writer's credits."""
    text = ("# Alpha vs. Beta\n\nAlpha and beta are both tablets.\n\n## Side effects\n\n- a headache\n\n"
            "**About the Author**\n\nAna Ruiz is a pharmacist who writes about medicines.\n\n"
            "**You may also like**\n\n- [Gamma vs. delta](/g)\n")
    doc = parse(text, "a.md", "md")
    assert [(f.kind, f.text) for f in doc.furniture] == [
        ("byline", "About the Author"), ("byline", "Ana Ruiz is a pharmacist who writes about medicines."),
        ("related", "You may also like")]
    assert [s.heading.value for s in doc.root.walk()] == ["Alpha vs. Beta", "Side effects"]


def test_a_related_heading_line_and_the_box_of_links_after_it_are_one_piece():
    text = ("Alpha vs Beta\n\nAlpha and beta are both tablets.\n\nSide effects\n\n- a headache\n\n"
            "Related information\n\nGamma for pain\nDelta for sleep\nEpsilon tablets explained\n")
    doc = parse(text, "a.txt")
    assert [(f.kind, f.text) for f in doc.furniture] == [("related", "Related information")]
    assert [s.heading.value for s in doc.root.walk()] == ["Alpha vs Beta", "Side effects"]
    assert doc.root.children[0].blocks[-1].kind is Kind.LIST


def test_lines_of_a_name_each_under_a_heading_are_a_list_whose_bullets_were_lost():
    text = ("Alpha vs Beta\n\nAlpha and beta are both tablets.\n\nBrand names\n\nAlvex\nAlpharin XR\n\n"
            "Side effects\n\n- a headache\n")
    doc = parse(text, "a.txt")
    assert outline(doc) == tree(
        "h1 Alpha vs Beta", "  paragraph Alpha and beta are both", "  h2 Brand names", "    list", "      - Alvex",
        "      - Alpharin XR", "  h2 Side effects", "    list", "      - a headache")


@pytest.mark.parametrize("line, kind", [
    ("Listen   Print", "share"), ("Give feedback about this page", "promo"),
    ("Help fund research. Your gift supports better treatments. Donate today", "promo")])
def test_listen_lines_feedback_and_donation_boxes_are_furniture(line, kind):
    assert line_kind(line) == kind


def test_a_box_of_credits_is_a_byline():
    text = ("Alpha vs Beta\n\nAlpha and beta are both tablets.\n\nSide effects\n\n- a headache\n\n"
            "Content Partner\nThis page was made with the help of:\nNorthfield Health Trust\n")
    doc = parse(text, "a.txt")
    assert [(f.kind, f.text) for f in doc.furniture] == [("byline", "Content Partner")]
    assert [s.heading.value for s in doc.root.walk()] == ["Alpha vs Beta", "Side effects"]


@pytest.mark.parametrize("line, kind", [
    ("Download this information (PDF, 380KB)", "share"), ("On this page", None),
    ("– Sam, who takes alpha", "byline"), ("Credits", "byline"), ("Current as of: October 7, 2024", "date"),
    ("Medical Review: A. Reviewer MD - Family Medicine", "byline"),
    ("This information was published in March 2024. We will revise it in 2027.", "date")])
def test_downloads_quotation_credits_and_publication_notes_are_furniture(line, kind):
    assert line_kind(line) == kind


def test_a_row_of_links_to_the_page_own_sections_is_a_table_of_contents():
    page = ("<html><body><main><h1>Alpha vs. Beta</h1>"
            "<div><a href='#a'>Overview</a> | <a href='#b'>Risks</a> | <a href='#c'>FAQ</a></div>"
            "<p>Alpha and beta are tablets.</p><h2 id='b'>Side effects</h2><ul><li>nausea</li></ul>"
            "</main></body></html>")
    doc = parse(page, "a.html", "html")
    assert [(f.kind, f.text) for f in doc.furniture] == [("toc", "Overview | Risks | FAQ")]


@pytest.mark.parametrize("line", ["Living donors donate a kidney to a relative in most cases.",
                                  "– Nausea, a feeling of sickness"])
def test_words_of_the_article_that_look_like_a_box_are_not_furniture(line):
    assert line_kind(line) is None


def test_a_pages_own_links_a_revision_date_and_a_box_of_links_are_furniture():
    """A paragraph that is one short link ("View Professional Version"), a "Reviewed/Revised" date, a short title
    over a list of links only, and a trail written as a numbered list (its entries, not its numbers)."""
    doc, _ = parsed("html_publisher_links_dates_and_a_box_of_links.html")
    assert [(f.kind, f.text) for f in doc.furniture] == [
        ("breadcrumb", "Home / Medicines / Alpha"), ("date", "Reviewed/Revised Feb 2025"),
        ("related", "View Professional Version"), ("related", "Get the Quick Facts"), ("promo", "Topic Resources")]
    assert outline(doc) == tree("h1 Alpha vs. Beta", "  paragraph Alpha and Beta are medicines.", "  h2 Alpha",
                                "    paragraph Alpha comes as a tablet.")


def test_a_clipped_pages_front_matter_a_byline_on_two_lines_and_a_box_of_more_links():
    """A web clipper's ``source`` is the page's URL and its list of authors one value; the name under a bare
    "Written by" is the byline's; "More in ..." over a list heads a box of links."""
    doc, _ = parsed("markdown_clipped_page_with_a_byline_on_two_lines.md")
    assert (doc.meta.url, doc.meta.author) == ("https://example.org/alpha-vs-beta", "A. Writer, B. Writer")
    assert [(f.kind, f.text) for f in doc.furniture] == [
        ("byline", "Written by"), ("byline", "The Example Health Content Team"), ("related", "More in Medicines")]
    assert outline(doc) == tree("h1 Alpha vs. Beta", "  paragraph Alpha and Beta are medicines.",
                                "  h2 What is Alpha?", "    paragraph Alpha comes as a tablet.")


@pytest.mark.parametrize("line, kind", [
    ("Developed by the Alpha Group with patients", "byline"),
    ("Version 2.1    Published: March 2023    Next review: March 2026", "date"),
    ("Figure 1: 100 people, 80 of them shaded", "image"),
    ("Evidence last checked: January 2023", "date"),
    ("Alpha guide  |  Version 2  |  May 2024  |  Page 1 of 4", "date"),
    ("Reviewed/Revised Feb 2025", "date"),
])
def test_the_credits_versions_captions_and_page_footers_of_a_printed_leaflet(line, kind):
    assert line_kind(line) == kind


def test_more_in_a_topic_heads_a_box_of_links():
    assert heads_a_box("More in Heart health") == "related"
    assert heads_a_box("More in people over 65 than in others.") is None


def test_a_json_ld_graphs_references_a_credits_line_between_bars_and_a_promotions_title():
    """``"publisher": {"@id": ...}`` names the graph's node; ``Updated May 2024 | This article was created by
    ...`` is a date and a byline (``Ana B. Ruiz``: an initial ends no sentence); a bold title over a promotion
    is the promotion's; ``Read: ...`` lines and ``Need a doctor? Find a ... at ...`` are furniture."""
    doc, _ = parsed("html_json_ld_graph_and_a_credits_line.html")
    assert (doc.meta.publisher, doc.meta.author) == ("Example Society of Doctors", "Example editorial staff")
    assert [(f.kind, f.text) for f in doc.furniture] == [
        ("date", "Last Updated May 2024"),
        ("byline", "This article was created by Example editorial staff and reviewed by Ana B. Ruiz, MD"),
        ("promo", "Join our club – it’s free"), ("related", "Read: Five things to know about tablets"),
        ("promo", "Need a doctor? Find a pain specialist at Example Clinic.")]
    assert outline(doc) == tree("h1 Alpha vs. Beta", "  paragraph Alpha and Beta are medicines.", "  h2 Alpha",
                                "    paragraph Alpha comes as a tablet.")


@pytest.mark.parametrize("line, kind", [
    ("Mar 12, 2024 Example Health Staff", "date"), ("Ana Ruiz, MD", "byline"), ("Theo Lind, DPT", "byline"),
])
def test_a_date_with_its_writer_and_a_name_with_credentials_alone(line, kind):
    assert line_kind(line) == kind
    assert line_kind("Mar 12, 2024 was the day the results came in") is None
