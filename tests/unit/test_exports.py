"""Pure parts of the exports: file writing, the report summary, import value checks."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from assess import ROOT, report, transfer
from assess.content import load_content
from assess.export import tables as exports
from assess.export.files import csv_number, csv_text, sheet_name, to_csv, to_xlsx
from assess.export.tables import Column, Num, Table
from assess.history import AreaChange, AreaYear, YearResult

TABLE = Table(
    "t",
    "Tulokset: vuosi/alue?",
    (
        Column("year", "Vuosi", "int"),
        Column("area", "Osa-alue"),
        Column("index", "Indeksi", "index"),
        Column("value", "Arvo", "decimal"),
    ),
    ((2024, "Tieto ja data", 2.5, Num(1234.5, "euro")), (2025, "Äly\nja ääni", 5, None)),
)


def test_csv_finnish_and_english():
    fi = to_csv(TABLE, "fi")
    assert fi.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(fi.decode("utf-8-sig")), delimiter=";"))
    assert rows == [
        ["Vuosi", "Osa-alue", "Indeksi", "Arvo"],
        ["2024", "Tieto ja data", "2,50", "1234,50"],
        ["2025", "Äly\nja ääni", "5,00", ""],
    ]
    en = list(csv.reader(io.StringIO(to_csv(TABLE, "en").decode("utf-8-sig"))))
    assert en[1] == ["2024", "Tieto ja data", "2.50", "1234.50"]


def test_csv_numbers_and_formula_escape():
    assert csv_number(2.5, "decimal", "fi") == "2,5"
    assert csv_number(3, "decimal", "fi") == "3"
    assert csv_number(12345.678, "euro", "fi") == "12345,68"
    assert csv_number(1.005, "index", "en") == "1.01"  # half up, as the pages round
    assert csv_text("=SUM(A1)") == "'=SUM(A1)" and csv_text("@x") == "'@x"
    assert csv_text("Tieto ja data") == "Tieto ja data"


def test_sheet_names_are_valid_and_unique():
    assert sheet_name("Tulokset: vuosi/alue?") == "Tulokset  vuosi alue"
    assert len(sheet_name("x" * 40)) == 31
    assert sheet_name("Plan", ["plan"]) == "Plan (2)"


def test_xlsx_numbers_formats_and_frozen_header():
    book = load_workbook(io.BytesIO(to_xlsx([TABLE, TABLE])))
    assert book.sheetnames == ["Tulokset  vuosi alue", "Tulokset  vuosi alue (2)"]
    sheet = book.worksheets[0]
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold
    assert sheet["C2"].value == 2.5 and sheet["C2"].number_format == "0.00"
    assert sheet["D2"].value == 1234.5 and sheet["D2"].number_format == "#,##0.00"
    assert sheet["A3"].value == 2025 and sheet["A3"].number_format == "0"
    assert sheet["B3"].alignment.wrap_text
    assert sheet.column_dimensions["B"].width >= len("Tieto ja data")


def test_metric_cells_keep_numbers():
    assert exports.metric_cell("count", 12) == Num(12, "int")
    assert exports.metric_cell("euro", 1234.5) == Num(1234.5, "euro")
    assert exports.metric_cell("percent", 12.5) == Num(12.5, "decimal")
    assert exports.metric_cell("yes_no", True) == "Yes"
    assert exports.metric_cell("text", "valmis") == "valmis"


def _year(year, stages, indices, agreed=None):
    agreed = agreed or {}
    return YearResult(
        year,
        year,
        "v1",
        {a: AreaYear(s, i, agreed.get(a)) for (a, s), i in zip(stages.items(), indices, strict=True)},
    )


def test_summary_counts_against_the_expected_step_and_finds_most_progress():
    areas = ["a", "b", "c", "d"]
    this = _year(2025, {"a": 2, "b": 1, "c": None, "d": 3}, [2.5, 1.8, None, 3.1], {"b": 2})
    changes = [
        AreaChange("a", 1, 2, None, None, 1.7, 2.5, 0.8, 1, 2, None, None),
        AreaChange("b", 1, 1, None, 2, 1.9, 1.8, -0.1, 1, 2, None, None),
        AreaChange("c", None, None, None, None, None, None, None, 1, 2, None, None),
        AreaChange("d", 3, 3, None, None, 3.0, 3.1, 0.1, 1, 2, None, None),
    ]
    s = report.summarise(this, areas, start_year=2024, changes=changes, previous_year=2024)
    assert (s.expected, s.level, s.at_level) == (2, 2, 3)  # b counts with its agreed stage 2
    assert s.insufficient == ("c",) and s.behind == () and s.ahead == ("d",)
    assert (s.rose, s.fell) == (2, 1)
    assert s.best == report.AreaDelta("a", 0.8) and s.worst == report.AreaDelta("b", -0.1)
    assert s.stage_up == ("a", "b")


def test_summary_without_start_year_uses_the_stage_half_the_areas_reached():
    this = _year(2025, {"a": 1, "b": 2, "c": 3, "d": 4}, [1.0, 2.0, 3.0, 4.0])
    s = report.summarise(this, ["a", "b", "c", "d"])
    assert s.expected is None and s.level == 3 and s.at_level == 2 and s.behind == ()
    assert s.previous_year is None and s.best is None


def test_previous_year_and_cut_series():
    assert report.previous_year([2022, 2024, 2025], 2025) == 2024
    assert report.previous_year([2024], 2024) is None
    series = {"a": [_year(y, {"a": 1}, [1.0]) for y in (2023, 2024, 2025)]}
    assert [p.year for p in report.up_to(series, 2024)["a"]] == [2023, 2024]


def test_metric_value_checks_by_kind():
    check = transfer.metric_value_problem
    assert check("yes_no", True) is None and check("yes_no", "yes") is not None
    assert check("count", 3) is None and check("count", 2.5) is not None
    assert check("count", -1) is not None and check("count", True) is not None
    assert check("percent", 99.5) is None and check("percent", 150)[0] == "A percentage can be at most 100."
    assert check("euro", 12.345)[0] == "At most two decimals are allowed."
    assert check("euro", 1234.5) is None and check("euro", -3) is not None
    assert check("text", "") is not None and check("text", "valmis") is None


def test_validate_stops_at_a_file_that_is_not_an_export():
    content = load_content(ROOT / "questionnaires")
    for doc in ([], {"format": "other"}, None):
        checked = transfer.validate(doc, content)
        assert [p.path for p in checked.problems] == ["format"]
    checked = transfer.validate({"format": transfer.FORMAT, "format_version": 2}, content)
    assert checked.problems[0].text() == (
        "format_version: Export format version 2 is not supported; this installation reads version 1."
    )
    doc, problems = transfer.load(b"{")
    assert doc is None and problems[0].path == "file"


def test_plan_groups_show_a_goal_and_its_metrics_once_beside_its_entries():
    rows = [(1, "a", "m1\nm2"), (1, "b", "m1\nm2"), (2, "c", ""), (None, "d", "")]
    groups = report.plan_groups(rows)
    assert [(g["goal"], g["metrics"], [r[1] for r in g["rows"]]) for g in groups] == [
        (1, ["m1", "m2"], ["a", "b"]),
        (2, [], ["c"]),
        (None, [], ["d"]),
    ]
