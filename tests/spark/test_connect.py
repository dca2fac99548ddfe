"""The event families and health through Spark Connect: a real Connect server started from
pyspark's own distribution (sbin/start-connect-server.sh, the bundled spark-connect jar) on
127.0.0.1, and the same reports as Polars on the same data."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest

import csmetrics as cm
from tests.helpers import free_port, one_line_error
from tests.spark.compare import close

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"
WINDOW = {"since": "2026-10-01", "until": "2026-11-01"}
STARTUP_SECONDS = 180


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="module")
def remote(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """sc://127.0.0.1:PORT of a Connect server on local[2]; stopped after the module."""
    import pyspark

    home = Path(pyspark.__file__).parent
    work = tmp_path_factory.mktemp("spark-connect")
    port = free_port()
    env = {
        **os.environ,
        "SPARK_HOME": str(home),
        "SPARK_LOG_DIR": str(work / "logs"),
        "SPARK_PID_DIR": str(work),
        "SPARK_LOCAL_IP": "127.0.0.1",
        "SPARK_IDENT_STRING": f"csmetrics-{port}",
    }
    settings = {
        "spark.connect.grpc.binding.address": "127.0.0.1",
        "spark.connect.grpc.binding.port": str(port),
        "spark.ui.enabled": "false",
        "spark.sql.shuffle.partitions": "2",
        "spark.driver.memory": "1g",
        # tiny frames, as the shared local session (tests/engines.py): interpreting beats
        # compiling generated code for each query
        "spark.sql.adaptive.enabled": "false",
        "spark.sql.codegen.wholeStage": "false",
        "spark.sql.codegen.factoryMode": "NO_CODEGEN",
    }
    confs = [arg for key, value in settings.items() for arg in ("--conf", f"{key}={value}")]
    start = ["bash", str(home / "sbin" / "start-connect-server.sh"), "--master", "local[2]"]
    subprocess.run([*start, *confs], env=env, check=True, capture_output=True)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _listening(port):
            if time.monotonic() > deadline:
                logs = "\n".join(p.read_text()[-2000:] for p in (work / "logs").glob("*.out"))
                pytest.fail(
                    f"the Connect server did not listen within {STARTUP_SECONDS} s:\n{logs}"
                )
            time.sleep(1)
        yield f"sc://127.0.0.1:{port}"
    finally:
        stop = ["bash", str(home / "sbin" / "stop-connect-server.sh")]
        subprocess.run(stop, env=env, check=False, capture_output=True)


@pytest.fixture(scope="module")
def events(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample's events of eight accounts from mid-August, as Parquet: every family has
    signups, returns and accounts to count, and each Spark query stays small (Connect adds a
    round trip per query; the classic session's tests cover the whole sample)."""
    frame = pl.read_csv(SAMPLE / "events.csv")
    accounts = frame["account_id"].drop_nulls().unique().sort().head(8)
    kept = frame.filter(
        pl.col("account_id").is_in(accounts.implode()) & (pl.col("timestamp") >= "2026-08-15")
    )
    path = tmp_path_factory.mktemp("connect-events") / "events.parquet"
    kept.write_parquet(path)
    return path


def _through_connect(remote: str, events: Path, mode: str) -> dict[str, Any]:
    """The reports a process of its own computes through the Connect server (connect_job.py)."""
    job = [sys.executable, str(Path(__file__).with_name("connect_job.py")), remote, str(events),
           str(SAMPLE / "csmetrics.toml"), mode]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(job, env=env, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    found: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def assert_same_json(ours: Any, theirs: Any, where: str = "") -> None:
    """Two reports' JSON alike: numbers to 1e-9, everything else equal."""
    if isinstance(theirs, dict):
        assert isinstance(ours, dict) and ours.keys() == theirs.keys(), where
        for key in theirs:
            assert_same_json(ours[key], theirs[key], f"{where}.{key}")
    elif isinstance(theirs, list):
        assert isinstance(ours, list) and len(ours) == len(theirs), where
        for index, (mine, other) in enumerate(zip(ours, theirs, strict=True)):
            assert_same_json(mine, other, f"{where}[{index}]")
    elif isinstance(theirs, float) and not isinstance(theirs, bool):
        assert close(ours, theirs), f"{where}: {ours} != {theirs}"
    else:
        assert ours == theirs, f"{where}: {ours!r} != {theirs!r}"


def _comparable(report: dict[str, Any]) -> dict[str, Any]:
    """A report's JSON without what differs by engine or run: the engine, timings, paths."""
    return {k: v for k, v in report.items() if k not in ("engine", "sources", "generated_at")}


@pytest.fixture(scope="module")
def connect_reports(remote: str, events: Path) -> dict[str, Any]:
    return _through_connect(remote, events, "families")


@pytest.mark.parametrize("family", ["engagement", "onboarding", "retention", "health", "revenue"])
def test_a_family_through_connect_equals_polars(
    connect_reports: dict[str, Any], events: Path, family: str
) -> None:
    inputs = cm.load(config=SAMPLE / "csmetrics.toml", events=events, engine="polars")
    theirs = json.loads(cm.compute_family(family, inputs, {}, WINDOW).to_json())
    ours = connect_reports[family]
    assert ours["engine"] == "spark" and theirs["engine"] == "polars"
    assert_same_json(_comparable(ours), _comparable(theirs), family)


def test_a_connect_session_passed_to_the_api(remote: str, events: Path) -> None:
    ours = _through_connect(remote, events, "session")["retention"]
    theirs = json.loads(cm.retention(cm.load(events=events), **WINDOW).to_json())
    assert ours["engine"] == "spark"
    assert_same_json(_comparable(ours), _comparable(theirs), "retention")


def test_the_cli_runs_on_a_remote(remote: str, events: Path) -> None:
    args = ["health", "--config", str(SAMPLE / "csmetrics.toml"), "--events", str(events),
            "--period", "2026-10", "--spark-remote", remote, "--format", "json"]  # fmt: skip
    cli = Path(sys.executable).with_name("csmetrics")
    done = subprocess.run([str(cli), *args], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads(done.stdout)["engine"] == "spark"


def test_an_unreachable_server_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    port = free_port()  # nothing listens there
    err = one_line_error(
        capsys, "engagement", "--events", str(SAMPLE / "events.csv"),
        "--spark-remote", f"sc://127.0.0.1:{port}/;token=secret-value",
    )  # fmt: skip
    assert f"sc://127.0.0.1:{port}" in err and "secret-value" not in err
