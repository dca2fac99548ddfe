"""The event families and health through Spark Connect: a real Connect server started from
pyspark's own distribution (sbin/start-connect-server.sh, the bundled spark-connect jar) on
127.0.0.1, and the same reports as Polars on the same data."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest

import csmetrics as cm
from tests.helpers import cli, one_line_error
from tests.spark.compare import assert_same_report

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"
WINDOW = {"since": "2026-10-01", "until": "2026-11-01"}
STARTUP_SECONDS = 180


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


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
    port = _free_port()
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


@pytest.fixture(scope="module")
def inputs(remote: str, events: Path) -> tuple[cm.Inputs, cm.Inputs]:
    """Those events (and the sample's other sources) read by Spark Connect and by Polars."""
    config = SAMPLE / "csmetrics.toml"
    return (
        cm.load(config=config, events=str(events), spark_remote=remote),
        cm.load(config=config, events=events, engine="polars"),
    )


@pytest.mark.parametrize("family", ["engagement", "onboarding", "retention", "health", "revenue"])
def test_a_family_through_connect_equals_polars(
    inputs: tuple[cm.Inputs, cm.Inputs], family: str
) -> None:
    on_connect, on_polars = inputs
    assert type(on_connect.sources["events"].spark).__module__.startswith("pyspark.sql.connect")
    ours = cm.compute_family(family, on_connect, {}, WINDOW)
    theirs = cm.compute_family(family, on_polars, {}, WINDOW)
    assert ours.engine == "spark" and theirs.engine == "polars"
    assert_same_report(ours, theirs)


@pytest.mark.filterwarnings("ignore::FutureWarning")  # pyspark's note on the pandas version
def test_a_connect_session_passed_to_the_api(remote: str, events: Path) -> None:
    from pyspark.sql import SparkSession

    session: Any = SparkSession.builder.remote(remote).getOrCreate()
    ours = cm.retention(cm.load(events=str(events), engine=session), **WINDOW)
    theirs = cm.retention(cm.load(events=events), **WINDOW)
    assert ours.engine == "spark"
    assert_same_report(ours, theirs)


def test_the_cli_runs_on_a_remote(
    capsys: pytest.CaptureFixture[str], remote: str, events: Path
) -> None:
    args = ["health", "--config", str(SAMPLE / "csmetrics.toml"), "--events", str(events)]
    code, out, err = cli(capsys, *args, "--period", "2026-10", "--spark-remote", remote,
                         "--format", "json")  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["engine"] == "spark"


def test_an_unreachable_server_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    port = _free_port()  # nothing listens there
    err = one_line_error(
        capsys, "engagement", "--events", str(SAMPLE / "events.csv"),
        "--spark-remote", f"sc://127.0.0.1:{port}/;token=secret-value",
    )  # fmt: skip
    assert f"sc://127.0.0.1:{port}" in err and "secret-value" not in err
