"""The Python API: load once (paths or frames), compute families on the loaded inputs."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import polars as pl
import pytest

import csmetrics as cm
from tests.helpers import cli

ROOT = Path(__file__).resolve().parent.parent
ROWS = {
    "timestamp": ["2026-11-02T10:00:00Z", "2026-11-02T10:10:00Z", "2026-11-03T09:00:00Z"],
    "user_id": ["u1", "u1", "u2"],
    "event": ["login", "report", "login"],
    "account_id": ["a1", "a1", "a2"],
}


def test_the_python_pages_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (ROOT / "docs" / "python.md").read_text()
    section = readme.split("# Python", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code is not None
    shutil.copytree(ROOT / "sample_data", tmp_path / "sample_data")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    exec(compile(code.group(1), "docs/python.md", "exec"), namespace)
    rep = namespace["rep"]
    assert isinstance(rep, cm.Report)
    assert rep.window.name == "2026-10"
    assert isinstance(namespace["activity"], pl.DataFrame)
    assert '"schema_version": 1' in str(namespace["text"])
    assert (tmp_path / "out" / "engagement.activity.parquet").is_file()


def test_frames_paths_and_pandas_give_the_same_report(tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    pl.DataFrame(ROWS).write_csv(path)
    reports = [
        cm.engagement(cm.load(events=source), since="2026-11-02", until="2026-11-04")
        for source in (str(path), pl.DataFrame(ROWS), pl.LazyFrame(ROWS), pd.DataFrame(ROWS))
    ]
    first = reports[0].metrics
    # 2 sessions (u1 10:00-10:10, u2 09:00) of 2 active users
    assert first["engagement.sessions_count"] == 2
    assert first["engagement.active_users"] == 2
    assert first["engagement.session_duration_mean_minutes"] == 5  # (10 + 0) / 2
    for report in reports[1:]:
        assert report.metrics == first


def test_one_load_serves_many_windows() -> None:
    inputs = cm.load(events=pl.DataFrame(ROWS))
    day_one = cm.engagement(inputs, since="2026-11-02", until="2026-11-03")
    day_two = cm.engagement(inputs, since="2026-11-03", until="2026-11-04")
    assert day_one.metrics["engagement.active_users"] == 1  # u1
    assert day_two.metrics["engagement.active_users"] == 1  # u2
    assert inputs["events"].height == 3  # loaded once, unchanged by the computations


def test_mapping_and_options_per_source() -> None:
    frame = pl.DataFrame({"When": ROWS["timestamp"], "Who": ROWS["user_id"], "What": ROWS["event"]})
    inputs = cm.load(
        events=frame,
        columns={"events": {"timestamp": "When", "user_id": "Who", "event": "What"}},
        options={"events": {"null_values": ["-"]}},
    )
    assert inputs.sources["events"].headers["user_id"] == "Who"
    assert inputs.sources["events"].label == "events (in-memory frame)"


def test_bad_input_raises_input_error_naming_the_source() -> None:
    with pytest.raises(
        cm.InputError, match=r"events \(in-memory frame\): events columns not found"
    ):
        cm.load(events=pl.DataFrame({"x": [1]}))


def test_options_for_a_source_not_given() -> None:
    with pytest.raises(cm.ConfigError, match="no tickets source"):
        cm.load(events=pl.DataFrame(ROWS), preset={"tickets": "zendesk"})


def test_family_without_its_required_source(capsys, tmp_path: Path, monkeypatch) -> None:
    inputs = cm.load(accounts=pl.DataFrame({"account_id": ["a1"]}))
    with pytest.raises(cm.InputError, match="engagement needs events: pass --events PATH"):
        cm.engagement(inputs)
    monkeypatch.chdir(tmp_path)
    code, _, err = cli(capsys, "engagement")
    assert code == 2 and "engagement needs events" in err and "Traceback" not in err


def test_report_repr_and_write_formats(tmp_path: Path) -> None:
    rep = cm.engagement(cm.load(events=pl.DataFrame(ROWS)))
    assert repr(rep).startswith("Report('engagement', window='2026-11-02_2026-11-03'")
    assert rep.write(tmp_path / "r.md", format="markdown") == [tmp_path / "r.md"]
    assert (tmp_path / "r.md").read_text().startswith("# engagement")
    with pytest.raises(cm.ConfigError, match="format"):
        rep.write(tmp_path / "r.xml", format="xml")
    # The same file-or-folder rule as the CLI's --output.
    written = rep.write(tmp_path / "r.csv", format="csv")
    assert written[0] == tmp_path / "r.csv" and tmp_path / "r.activity.csv" in written
    assert (tmp_path / "folder" / "engagement.metrics.csv") in rep.write(
        f"{tmp_path}/folder/", format="csv"
    )


def test_docstring_examples_run() -> None:
    import doctest

    import csmetrics.api
    import csmetrics.ingest.load

    for module in (csmetrics.api, csmetrics.ingest.load):
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert result.attempted >= 1 and result.failed == 0, module.__name__


def test_report_json_names_its_currency() -> None:
    rep = cm.engagement(cm.load(events=pl.DataFrame(ROWS)))
    assert '"currency": null' in rep.to_json()  # engagement holds no money


def test_an_optional_column_never_filled_is_absent() -> None:
    # a Segment export with the context.groupId header but no group on any event
    frame = pl.DataFrame(
        {**ROWS, "account_id": [None, None, None]}, schema_overrides={"account_id": pl.String}
    )
    report = cm.engagement(cm.load(events=frame), since="2026-11-02", until="2026-11-04")
    assert report.metrics["engagement.active_accounts_count"] is None  # unknown, not 0
    assert any(w.code == "empty_column" for w in report.warnings)
    assert "account_activity" not in report.tables


def test_dir_lists_the_public_api_for_tab_completion() -> None:
    import csmetrics

    names = dir(csmetrics)
    assert names == sorted(csmetrics.__all__)
    assert {"load", "engagement", "report", "Report", "InputError"} <= set(names)
    for name in names:  # each one resolves (the lazy import finds it)
        assert getattr(csmetrics, name) is not None
