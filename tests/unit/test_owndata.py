"""Own data, pure logic: CSV detection, invoice checks, spend figures, notice counts,
proposals. Expectations are computed by hand from the small fixtures in tests/data/owndata.

The invoice fixture (2025): A 1000,50 and -200,50 (credit note), B 2000,00, C 300,00, an
anonymised row 50,00, D 400,00 (missing from the suppliers file), a Swedish supplier
250,00; 2024: A 100,00. Suppliers: A and C in Hyvinkää, B in Helsinki.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assess.owndata import csvfile, notices, proposals, spend
from assess.owndata.spend import Problem, Refused

DATA = Path(__file__).resolve().parent.parent / "data" / "owndata"
UTF8 = DATA / "invoices_small_utf8.csv"
CP1252 = DATA / "invoices_small_cp1252.csv"
SUPPLIERS = DATA / "suppliers_small.csv"


def detect(path: Path) -> csvfile.Detected:
    return csvfile.detect(path, spend.INVOICE_ALIASES, spend.INVOICE_REQUIRED, "amount")


def compute(path: Path, local=("Hyvinkää",)) -> spend.SpendResult:
    return spend.check_and_compute(path, detect(path), spend.read_suppliers(SUPPLIERS), local)


# --- detection --------------------------------------------------------------------------


def test_detects_utf8_bom_semicolon_and_decimal_comma():
    found = detect(UTF8)
    assert (found.encoding, found.delimiter, found.decimal) == ("utf-8-sig", ";", ",")
    assert found.mapping["date"] == "Tositepäivämäärä"
    assert found.mapping["supplier_id"] == "Toimittajan y-tunnus"
    assert found.mapping["amount"] == "Summa"
    assert found.missing == ()


def test_detects_windows_1252_comma_and_decimal_point():
    found = detect(CP1252)
    assert (found.encoding, found.delimiter, found.decimal) == ("cp1252", ",", ".")
    assert found.mapping["date"] == "Tositepäivämäärä"  # ä read right from Windows-1252


def test_utf8_without_bom_is_utf8(tmp_path):
    path = tmp_path / "plain.csv"
    path.write_bytes(UTF8.read_bytes()[3:])
    assert detect(path).encoding == "utf-8"


def test_unknown_headers_are_reported_missing_and_mapping_fixes_them(tmp_path):
    path = tmp_path / "own.csv"
    path.write_text("Pvm;Ytunnus X;Euroa\n2.1.2025;1000001-1;10,00\n", encoding="utf-8")
    found = detect(path)
    assert set(found.missing) == {"date", "supplier_id", "amount"}
    mapped = csvfile.with_mapping(
        found, {"date": "Pvm", "supplier_id": "Ytunnus X", "amount": "Euroa"}, spend.INVOICE_REQUIRED
    )
    assert mapped.missing == ()
    result = spend.check_and_compute(path, mapped, {"1000001-1": "Hyvinkää"}, ["Hyvinkää"])
    assert result.contract()["years"]["2025"]["local_eur"] == 10.0


def test_both_encodings_give_the_same_figures():
    assert compute(UTF8).contract() == compute(CP1252).contract()


@pytest.mark.parametrize(
    "text, decimal, cents",
    [
        ("1 234,50", ",", 123450),
        ("-200,50", ",", -20050),
        ("12,5", ",", 1250),
        ("200,50-", ",", -20050),
        ("1.234,50", ",", 123450),
        ("1234.5", ".", 123450),
        ("1,234.50", ".", 123450),
        ("0,01", ",", 1),
    ],
)
def test_amounts(text, decimal, cents):
    assert spend.parse_cents(text, decimal) == cents


@pytest.mark.parametrize("text", ["abc", "12,345", "1.2.3", "", "1,2,3"])
def test_not_amounts(text):
    assert spend.parse_cents(text, ",") is None


# --- the figures, by hand ---------------------------------------------------------------


def test_year_figures_match_the_hand_computation():
    doc = compute(UTF8).contract()
    assert doc["years"]["2025"] == {
        "total_eur": 3800.0,  # 1000,50 + 2000 - 200,50 + 300 + 50 + 400 + 250
        "suppliers": 5,  # A, B, C, D and the Swedish one; the anonymised row has none
        "local_eur": 1100.0,  # A 800 (credit note netted) + C 300
        "local_share": 0.3284,  # 1100 / (3800 - 450)
        "excluded_eur": 450.0,  # anonymised 50 + D 400
        "rows": 7,
        "excluded_rows": 2,
    }
    assert doc["years"]["2024"] == {
        "total_eur": 100.0,
        "suppliers": 1,
        "local_eur": 100.0,
        "local_share": 1.0,
        "excluded_eur": 0.0,
        "rows": 1,
        "excluded_rows": 0,
    }
    assert doc["unknown_suppliers"] == ["1000004-4"]


def test_a_set_of_local_municipalities_widens_the_area():
    doc = compute(UTF8, local=("Hyvinkää", "helsinki")).contract()
    assert doc["years"]["2025"]["local_eur"] == 3100.0  # + B 2000 in Helsinki (case ignored)
    assert doc["years"]["2025"]["local_share"] == round(3100 / 3350, 4)


def test_summary_splits_what_was_left_out_and_ranks_suppliers_and_classes():
    summary = compute(UTF8).summary(2025)
    assert (summary["no_id_rows"], summary["no_id_eur"]) == (1, 50.0)
    assert (summary["unknown_rows"], summary["unknown_eur"]) == (1, 400.0)
    assert summary["located_eur"] == 3350.0
    assert summary["top_suppliers"][0] == {"business_id": "1000002-2", "name": "Bee Oy", "eur": 2000.0}
    assert summary["top_suppliers"][1]["eur"] == 800.0  # A net of its credit note
    assert summary["top_classes"][0] == {"name": "Siivous", "eur": 2300.0}
    assert summary["unknown_suppliers"] == ["1000004-4"]


def test_nothing_located_gives_a_zero_share(tmp_path):
    path = tmp_path / "anon.csv"
    path.write_text("Tositepäivämäärä;Toimittajan y-tunnus;Summa\n1.1.2025;;10,00\n", encoding="utf-8")
    found = detect(path)
    year = spend.check_and_compute(path, found, {}, ["Hyvinkää"]).contract()["years"]["2025"]
    assert (year["local_share"], year["excluded_eur"], year["excluded_rows"]) == (0.0, 10.0, 1)


# --- refusals ---------------------------------------------------------------------------


def test_every_bad_cell_is_named_by_row_and_column(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "Tositepäivämäärä;Toimittajan y-tunnus;Maakoodi;Summa\n"
        "1.1.2025;1000001-1;FI;10,00\n"
        "31.2.2025;1000001-1;FI;10,00\n"
        "1.1.2025;12345;FI;kymmenen\n"
        "1.1.1999;1000001-1;FI;5\n",
        encoding="utf-8",
    )
    with pytest.raises(Refused) as caught:
        spend.check_and_compute(path, detect(path), {}, ["Hyvinkää"])
    assert caught.value.problems == [
        Problem(3, "Tositepäivämäärä", "bad_date", "31.2.2025"),
        Problem(4, "Summa", "bad_amount", "kymmenen"),
        Problem(4, "Toimittajan y-tunnus", "bad_business_id", "12345"),
        Problem(5, "Tositepäivämäärä", "year_out_of_range", "1.1.1999"),
    ]
    assert "row 4, column 'Summa'" in spend.describe(caught.value.problems[1])


def test_a_broken_quote_is_named_by_row(tmp_path):
    path = tmp_path / "quote.csv"
    path.write_text(
        'Tositepäivämäärä;Toimittajan y-tunnus;Summa\n1.1.2025;"1000001-1;10,00\n'
        + "x" * (csvfile.MAX_FIELD + 10)
        + "\n",
        encoding="utf-8",
    )
    with pytest.raises(Refused) as caught:
        spend.check_and_compute(path, detect(path), {}, ["Hyvinkää"])
    assert caught.value.problems[-1].code == "broken"
    assert caught.value.problems[-1].line >= 2


def test_a_file_without_the_needed_columns_is_refused_naming_them(tmp_path):
    path = tmp_path / "cols.csv"
    path.write_text("Nimi;Summa\nA;1\n", encoding="utf-8")
    with pytest.raises(Refused) as caught:
        spend.check_and_compute(path, detect(path), {}, ["Hyvinkää"])
    assert {p.column for p in caught.value.problems} == {"date", "supplier_id"}
    assert all(p.code == "missing_column" for p in caught.value.problems)


def test_problems_are_capped_and_the_rest_counted(tmp_path):
    path = tmp_path / "many.csv"
    path.write_text(
        "Tositepäivämäärä;Toimittajan y-tunnus;Summa\n" + "ei;1000001-1;1\n" * 60, encoding="utf-8"
    )
    with pytest.raises(Refused) as caught:
        spend.check_and_compute(path, detect(path), {}, ["Hyvinkää"])
    assert len(caught.value.problems) == spend.MAX_PROBLEMS
    assert caught.value.more == 10


def test_suppliers_file_problems(tmp_path):
    path = tmp_path / "sup.csv"
    path.write_text(
        "Y-tunnus;Kotipaikka\n1000001-1;Hyvinkää\n1000001-1;Espoo\nabc;Espoo\n1000002-2;\n", encoding="utf-8"
    )
    with pytest.raises(Refused) as caught:
        spend.read_suppliers(path)
    assert [(p.line, p.code) for p in caught.value.problems] == [
        (3, "duplicate_business_id"),
        (4, "bad_business_id"),
        (5, "empty_municipality"),
    ]
    assert caught.value.file == "suppliers"


def test_an_empty_or_binary_file_is_refused(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(csvfile.FileProblem):
        detect(empty)
    binary = tmp_path / "x.csv"
    binary.write_bytes(b"\x00\x01\x02;\x00")
    with pytest.raises(csvfile.FileProblem):
        detect(binary)


# --- notices ----------------------------------------------------------------------------

NOTICES = (DATA / "notices_small.json").read_bytes()


def test_notice_counts_per_year_count_a_notice_once_however_many_lots_tick():
    doc = notices.contract(notices.parse(NOTICES))
    assert doc == {
        "years": {
            "2024": {
                "notices": 1,
                "new_to_buyer": 0,
                "innovative": 0,
                "environmental": 0,
                "social": 1,
                "sme_considered": 0,
                "not_open_procedure": 0,
            },
            "2025": {
                "notices": 4,
                "new_to_buyer": 1,
                "innovative": 1,
                "environmental": 2,
                "social": 1,
                "sme_considered": 1,
                "not_open_procedure": 2,
            },
        }
    }


def test_notices_are_filtered_by_the_buyers_business_ids():
    kept = notices.for_buyers(notices.parse(NOTICES), ["0126223-0"])
    counts = notices.counts(kept)
    assert counts[2025]["notices"] == 3
    assert counts[2025]["environmental"] == 1  # the other buyer's circular-economy notice left out


def test_csv_export_one_row_per_lot_gives_the_same_counts():
    text = (
        "noticeId;datePublished;procedureType;lotId;solutionNewToBuyer;lowCarbon;employmentCondition\n"
        "1001;2025-02-03;open;LOT-1;true;true;false\n"
        "1001;2025-02-03;open;LOT-2;true;false;true\n"
        "1002;2025-05-20;restricted;LOT-0;false;false;false\n"
    )
    counts = notices.counts(notices.parse(text.encode("cp1252")))
    assert counts == {
        2025: {
            "notices": 2,
            "new_to_buyer": 1,
            "innovative": 0,
            "environmental": 1,
            "social": 1,
            "sme_considered": 0,
            "not_open_procedure": 1,
        }
    }


def test_broken_notices_are_named_by_row_and_field():
    doc = json.loads(NOTICES)
    doc["value"][1]["datePublished"] = "eilen"
    doc["value"][2]["hilmaStatistics"]["LOT-0000"]["lowCarbon"] = "ehkä"
    doc["value"][3]["procedureType"] = ""
    with pytest.raises(Refused) as caught:
        notices.parse(json.dumps(doc).encode())
    assert [(p.line, p.column, p.code) for p in caught.value.problems] == [
        (2, "datePublished", "bad_date"),
        (3, "hilmaStatistics.LOT-0000.lowCarbon", "bad_answer"),
        (4, "procedureType", "bad_procedure"),
    ]


def test_invalid_json_names_its_line_and_column():
    with pytest.raises(Refused) as caught:
        notices.parse(b'{"value": [\n  {"noticeId": 1,,}\n]}')
    problem = caught.value.problems[0]
    assert (problem.line, problem.code) == (2, "bad_json")


def test_csv_problems_name_the_file_line():
    text = "noticeId;datePublished;procedureType\n1;2025-01-01;open\n2;huono;open\n"
    with pytest.raises(Refused) as caught:
        notices.parse(text.encode())
    assert [(p.line, p.column) for p in caught.value.problems] == [(3, "datePublished")]


# --- proposals --------------------------------------------------------------------------


def test_proposals_from_figures():
    spend_figures = compute(UTF8).summary(2025)
    notice_figures = notices.counts(notices.parse(NOTICES))[2025]
    found = proposals.from_figures(2025, {"invoices": spend_figures, "hilma": notice_figures})
    assert found["p3-a3-m1"].value == 32.84 and found["p3-a3-m1"].kind == "percent"
    assert found["p3-a3-m1"].trace["rows"] == 7
    assert found["p5-a3-m1"].value == 2  # procedures other than open
    assert found["p18-a2-m1"].value == 2 and found["p19-a2-m1"].value == 1
    assert found["p4-a1-m1"].value == 1 and found["p4-a2-m1"].value == 1
    assert proposals.same_value(found["p3-a3-m1"], 32.84)
    assert not proposals.same_value(found["p3-a3-m1"], 30)


def test_no_proposal_without_located_spend_or_notices():
    assert proposals.from_figures(2025, {"invoices": {"total_eur": 5, "excluded_eur": 5}}) == {}
    assert proposals.from_figures(2025, {"hilma": {"notices": 0}}) == {}
