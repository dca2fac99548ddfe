"""`--engine spark` on the command line and `[engine]` in the config: the same JSON, warnings
and exit codes as Polars; `report` computes its event families on Spark."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import cli, one_line_error
from tests.spark.compare import close

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "csmetrics.toml"
COMMANDS = {
    "engagement": ["--grain", "week"],
    "onboarding": ["--activation-event", "created_project", "--step", "signed_up",
                   "--step", "created_project", "--level", "account"],
    "retention": ["--cohort-grain", "month", "--periods", "3"],
}  # fmt: skip


def _json(capsys: Any, *args: str) -> dict[str, Any]:
    code, out, err = cli(capsys, *args, "--format", "json", "--quiet")
    assert code == 0, err
    report: dict[str, Any] = json.loads(out)
    for info in report["sources"].values():
        info.pop("paths", None)  # Spark names the path given, Polars the files found
    return report


@pytest.mark.parametrize("family", sorted(COMMANDS))
def test_family_json_is_the_same_on_spark(capsys, spark, family: str) -> None:
    args = [family, "--config", str(SAMPLE), "--period", "2026-10", *COMMANDS[family]]
    on_polars = _json(capsys, *args)
    on_spark = _json(capsys, *args, "--engine", "spark", "--spark-master", "local[2]")
    assert on_spark["metrics"].keys() == on_polars["metrics"].keys()
    for key, value in on_polars["metrics"].items():
        assert close(on_spark["metrics"][key], value), key
    assert on_spark["tables"] == on_polars["tables"] or _close_tables(
        on_spark["tables"], on_polars["tables"]
    )
    assert on_spark["warnings"] == on_polars["warnings"]
    assert on_spark["sources"] == on_polars["sources"]


def _close_tables(ours: dict[str, Any], theirs: dict[str, Any]) -> bool:
    assert ours.keys() == theirs.keys()
    for name, rows in theirs.items():
        assert len(ours[name]) == len(rows), name
        for mine, row in zip(ours[name], rows, strict=True):
            assert mine.keys() == row.keys(), name
            for key, value in row.items():
                if isinstance(value, float):
                    assert close(mine[key], value), (name, key)
                else:
                    assert mine[key] == value, (name, key)
    return True


def test_engine_from_the_config(capsys, spark, tmp_path: Path) -> None:
    config = tmp_path / "csmetrics.toml"
    text = SAMPLE.read_text().replace('path = "', f'path = "{SAMPLE.parent}/')
    config.write_text(text + '\n[engine]\nname = "spark"\n')
    report = _json(capsys, "engagement", "--config", str(config), "--period", "2026-10")
    expected = _json(capsys, "engagement", "--config", str(SAMPLE), "--period", "2026-10")
    assert all(close(report["metrics"][k], v) for k, v in expected["metrics"].items())


def test_bad_input_on_spark_is_one_line_and_exit_2(capsys, spark, tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    path.write_text("timestamp,user_id,event\nsoon,u1,login\n")
    err = one_line_error(capsys, "engagement", "--events", str(path), "--engine", "spark")
    assert str(path) in err and "'soon'" in err


def test_unknown_engine_is_a_usage_error(capsys) -> None:
    err = one_line_error(capsys, "engagement", "--config", str(SAMPLE), "--engine", "dask")
    assert "--engine" in err and "polars, spark" in err


def test_report_runs_its_event_families_on_spark(capsys, spark) -> None:
    args = ["report", "--config", str(SAMPLE), "--period", "2026-10", "--format", "json"]
    code, out, err = cli(capsys, *args, "--engine", "spark")
    assert code == 0, err
    on_spark = json.loads(out)
    code, out, err = cli(capsys, *args)
    on_polars = json.loads(out)
    for family in ("engagement", "onboarding", "retention", "health", "revenue"):
        ours, theirs = on_spark["families"][family], on_polars["families"][family]
        assert all(close(ours["metrics"][k], v) for k, v in theirs["metrics"].items()), family
