"""Spreadsheet CSVs (output/excel/): BOM, CRLF and OWASP CSV-injection prefixes, while the canonical CSV stays
byte-exact with the data. The fixture article's list items begin with `=`, `@`, `+` and `-`."""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

import pandas as pd
import pytest

from pipeline.build import run_build
from pipeline.publish.files import csv_pair

INJECTION = Path(__file__).resolve().parent / "fixtures" / "csv-injection"


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("injection") / "output"
    run_build(raw_dir=INJECTION, out_dir=out, report=out.parent / "report.csv")
    return out


def test_canonical_csv_keeps_the_items_verbatim(out):
    lines = (out / "document_side_effects.csv").read_bytes().split(b"\n")
    assert lines[1] == b"acupuncture-vs-massage-formula-items,sum-a1-a9-soreness,=SUM(A1:A9) soreness,25,979,999,"
    assert lines[2] == b"acupuncture-vs-massage-formula-items,bruising,@bruising,26,1004,1013,"
    assert not (out / "document_side_effects.csv").read_bytes().startswith(codecs.BOM_UTF8)


def test_excel_csv_has_bom_crlf_and_prefixed_formula_cells(out):
    data = (out / "excel" / "document_side_effects.csv").read_bytes()
    assert data.startswith(codecs.BOM_UTF8)
    lines = data[len(codecs.BOM_UTF8):].split(b"\r\n")
    assert lines[0] == b"document_id,side_effect_id,name,line,char_start,char_end,source_line"
    assert lines[1] == b"acupuncture-vs-massage-formula-items,sum-a1-a9-soreness,'=SUM(A1:A9) soreness,25,979,999,"
    assert lines[2] == b"acupuncture-vs-massage-formula-items,bruising,'@bruising,26,1004,1013,"
    assert lines[3] == b"acupuncture-vs-massage-formula-items,1-dizziness,'+1 dizziness,27,1018,1030,"
    assert lines[4] == b"acupuncture-vs-massage-formula-items,2-tiredness,'-2 tiredness,28,1035,1047,"
    assert lines[5] == b"acupuncture-vs-massage-formula-items,mild-bleeding,Mild bleeding,29,1052,1065,"
    assert lines[-1] == b"" and b"\n" not in data.replace(b"\r\n", b"")


def test_excel_csv_prefixes_examples_and_list_text_too(out):
    examples = (out / "excel" / "side_effect_examples.csv").read_text(encoding="utf-8-sig").splitlines()
    assert [line.split(",")[4] for line in examples[1:]] == ["'=red spots", "'@bruises"]
    listed = (out / "excel" / "therapy_side_effects.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK(\"\"x\"\") stiffness" in listed and "'@SUM(1+1) redness" in listed


def test_excel_csv_reads_back_to_the_canonical_rows_less_the_prefix(out):
    canonical = pd.read_csv(out / "therapy_side_effects.csv", dtype=str, keep_default_na=False)
    excel = pd.read_csv(out / "excel" / "therapy_side_effects.csv", dtype=str, keep_default_na=False,
                        encoding="utf-8-sig")
    unprefixed = excel.map(lambda cell: cell[1:] if cell[:2] in ("'=", "'@", "'+", "'-") else cell)
    assert unprefixed.equals(canonical)


def test_tab_and_carriage_return_are_prefixed_and_numbers_untouched():
    frame = pd.DataFrame({"text": pd.Series(["\tx", "\ry", "-z", "plain", None], dtype="str"),
                          "number": pd.Series([-1, 2, -3, 4, 5], dtype="int64"),
                          "maybe": pd.Series([-7, None, 1, 2, 3], dtype="Int64")})
    assert csv_pair(frame)[1] == (codecs.BOM_UTF8 + b"text,number,maybe\r\n'\tx,-1,-7\r\n\"'\ry\",2,\r\n"
                                      b"'-z,-3,1\r\nplain,4,2\r\n,5,3\r\n")


@pytest.mark.parametrize("batch_rows", [1, 2, 50_000])
def test_a_slice_of_a_table_is_prefixed_by_its_own_cells(monkeypatch, batch_rows):
    monkeypatch.setattr("pipeline.publish.files.CSV_BATCH_ROWS", batch_rows)
    frame = pd.DataFrame({"text": pd.Series(["=a", "b", None, "", "@c", "d,e"], dtype="str")})
    assert csv_pair(frame.iloc[1:])[1] == codecs.BOM_UTF8 + b"text\r\nb\r\n\r\n\r\n'@c\r\n\"d,e\"\r\n"
    assert csv_pair(frame.iloc[1:2])[1] == codecs.BOM_UTF8 + b"text\r\nb\r\n"


@pytest.mark.parametrize("batch_rows", [1, 4, 50_000])
def test_csv_is_what_pandas_writes_but_for_a_lone_cr_which_is_quoted(monkeypatch, batch_rows):
    """Byte for byte pandas' ``to_csv`` for awkward values, except that a cell holding a lone carriage
    return is quoted (pandas leaves it bare, and then reads it back as two rows)."""
    monkeypatch.setattr("pipeline.publish.files.CSV_BATCH_ROWS", batch_rows)
    awkward = pd.DataFrame({
        "text": pd.Series(["plain", "", None, "a,b", 'say "hi"', "two\nlines", "lone\rcr", "crlf\r\n", " pad ",
                           "é—’", "nan"], dtype="str"),
        "number": pd.array([1, None, 3, 4, 5, 6, 7, 8, 9, 10, -11], dtype="Int64"),
        "level": pd.Categorical(["p", "q", None, "p", "q", "p", "q", "p", "q", "p", "q"], categories=["p", "q"],
                                ordered=True),
    })
    written = csv_pair(awkward)[0]
    by_pandas = awkward.to_csv(index=False, lineterminator="\n").encode("utf-8")
    assert written == by_pandas.replace(b"\nlone\rcr,", b'\n"lone\rcr",')
    back = pd.read_csv(io.BytesIO(written), dtype=str, keep_default_na=False)
    assert len(back) == len(awkward) and back["text"].tolist()[6] == "lone\rcr"
    rows = list(csv.reader(io.StringIO(written.decode("utf-8"), newline="")))
    assert len(rows) == len(awkward) + 1 and rows[7][0] == "lone\rcr"
    assert csv_pair(awkward.iloc[3:6])[0] == awkward.iloc[3:6].to_csv(index=False, lineterminator="\n").encode()
    assert csv_pair(awkward.iloc[:0])[0] == b"text,number,level\n"
