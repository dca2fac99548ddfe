"""A CX index exported wide (one column per component, ingest/sources/wide.py) reads as the
same answers in the long layout: same metrics, bad values named by their own header and row."""

from __future__ import annotations

from pathlib import Path

import pytest

import csmetrics as cm
from tests.families.voice.test_cxi import answers
from tests.helpers import one_line_error

WIDE = """Submitted,Respondent,Effort,Empathy,Understanding,Efficiency,NPS
2026-10-02,r1,5,4,3,2,9
2026-10-03,r2,4,5,5,1,
2026-10-04,r3,1,,4,5,3
2026-10-05,r4,2,3,4,4,10
"""
MAPPING = {
    "submitted_at": "Submitted",
    "respondent_id": "Respondent",
    "cxi_effort": "Effort",
    "cxi_empathy": "Empathy",
    "cxi_understanding": "Understanding",
    "cxi_efficiency": "Efficiency",
}


def wide_file(tmp_path: Path, text: str = WIDE) -> Path:
    path = tmp_path / "experience.csv"
    path.write_text(text)
    return path


def voice(path: Path, **load: object) -> cm.Report:
    inputs = cm.load(surveys=path, columns={"surveys": MAPPING}, **load)  # type: ignore[arg-type]
    return cm.voice(inputs, period="2026-10")


def test_wide_columns_give_the_long_layouts_index(tmp_path: Path) -> None:
    report = voice(wide_file(tmp_path))
    # effort 5 4 1 2: 2 positive - 2 negative of 4 = 0; empathy 4 5 3 (r3 left it blank):
    # 2 - 0 of 3 = 66.7; understanding 3 5 4 4: 3 - 0 of 4 = 75; efficiency 2 1 5 4: 2 - 2 = 0
    metrics = report.metrics
    assert metrics["voice.cxi_effort"] == 0
    assert metrics["voice.cxi_empathy"] == pytest.approx(200 / 3)
    assert metrics["voice.cxi_understanding"] == 75
    assert metrics["voice.cxi_efficiency"] == 0
    assert metrics["voice.cxi"] == pytest.approx((0 + 200 / 3 + 75 + 0) / 4)  # 35.42
    table = report.tables["cxi_components"].sort("component")
    # efficiency, effort, empathy (r3 left it blank), understanding
    assert table["answers"].to_list() == [4, 4, 3, 4]
    long = answers({"effort": [5, 4, 1, 2], "empathy": [4, 5, 3], "understanding": [3, 5, 4, 4],
                    "efficiency": [2, 1, 5, 4]})  # fmt: skip
    same = cm.voice(cm.load(surveys=long), period="2026-10")
    for key in ("voice.cxi", "voice.cxi_effort", "voice.cxi_empathy"):
        assert metrics[key] == pytest.approx(same.metrics[key])


def test_a_score_in_the_same_row_stays_an_answer_of_its_own_survey(tmp_path: Path) -> None:
    # the NPS column is the rows' own score, of the survey --survey names
    columns = {"surveys": {**MAPPING, "score": "NPS"}}
    inputs = cm.load(surveys=wide_file(tmp_path), columns=columns, survey="nps")
    report = cm.voice(inputs, period="2026-10")
    # NPS 9, 3, 10 (r2 left it blank): 2 promoters - 1 detractor of 3 = 33.3
    assert report.metrics["voice.nps"] == pytest.approx(100 / 3)
    assert report.metrics["voice.nps_responses_count"] == 3
    assert report.metrics["voice.cxi"] == pytest.approx((0 + 200 / 3 + 75 + 0) / 4)


def test_a_bad_component_value_names_its_file_row_and_header(tmp_path: Path, capsys) -> None:
    path = wide_file(tmp_path, WIDE.replace("2026-10-03,r2,4", "2026-10-03,r2,five"))
    maps = [
        a for column, header in MAPPING.items() for a in ("--map", f"surveys.{column}={header}")
    ]
    err = one_line_error(capsys, "voice", "--surveys", str(path), *maps, "--period", "2026-10")
    assert f"{path}, row 2" in err and "'Effort' (cxi_effort)" in err and "'five'" in err


def test_a_value_outside_every_scale_is_counted_and_dropped(tmp_path: Path) -> None:
    report = voice(wide_file(tmp_path, WIDE.replace("2026-10-04,r3,1,", "2026-10-04,r3,11,")))
    # effort 5 4 2 (the 11 dropped): 2 - 1 of 3
    assert report.metrics["voice.cxi_effort"] == pytest.approx(100 / 3)
    (warning,) = [w for w in report.warnings if w.code == "score_out_of_scale"]
    assert warning.count == 1


def test_validate_lists_the_component_headers(tmp_path: Path) -> None:
    inputs = cm.load(surveys=wide_file(tmp_path), columns={"surveys": MAPPING})
    (profile,) = cm.profile(inputs)
    columns = {c["column"]: c["header"] for c in profile["columns"]}
    assert columns["score"] == "Effort, Empathy, Understanding, Efficiency"
    assert "cxi_effort" not in profile["absent_columns"]
    assert profile["rows"] == 4 and profile["rows_used"] == 15  # 4 rows x 4 scores, 1 blank
