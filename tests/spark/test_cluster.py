"""Engagement on a real Spark standalone cluster: a master and two workers on localhost,
started with the scripts the pyspark package ships, so the work crosses executors (and
processes) and the results still equal Polars'."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

import csmetrics as cm
from tests.helpers import free_port
from tests.spark.compare import close

ROOT = Path(__file__).resolve().parents[2]
EVENTS = ROOT / "sample_data" / "events.csv"
WINDOW = {"since": "2026-10-01", "until": "2026-11-01"}


def _spark_class() -> str:
    import pyspark

    return str(Path(pyspark.__file__).parent / "bin" / "spark-class")


def _alive_workers(ui: str) -> int:
    try:
        with urllib.request.urlopen(f"{ui}/json/", timeout=2) as response:
            return int(json.load(response).get("aliveworkers", 0))
    except OSError:
        return 0


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """spark://127.0.0.1:PORT with two one-core workers; stopped after the module."""
    work = tmp_path_factory.mktemp("spark-cluster")
    env = {**os.environ, "SPARK_LOCAL_IP": "127.0.0.1", "PYSPARK_PYTHON": sys.executable}
    port, ui_port = free_port(), free_port()
    master = f"spark://127.0.0.1:{port}"
    launch = [_spark_class(), "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
              "--port", str(port), "--webui-port", str(ui_port)]  # fmt: skip
    processes = [
        subprocess.Popen(launch, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ]
    for index in range(2):
        worker = [_spark_class(), "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                  "--cores", "1", "--memory", "1g", "--webui-port", "0",
                  "--work-dir", str(work / f"worker-{index}"), master]  # fmt: skip
        processes.append(
            subprocess.Popen(worker, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        )
    try:
        deadline = time.monotonic() + 90
        while _alive_workers(f"http://127.0.0.1:{ui_port}") < 2:
            if time.monotonic() > deadline:
                pytest.fail("the standalone master did not see two workers within 90 s")
            time.sleep(1)
        yield master
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)


def test_engagement_on_a_standalone_cluster(cluster: str) -> None:
    job = [sys.executable, str(Path(__file__).with_name("cluster_job.py")), cluster,
           str(EVENTS), WINDOW["since"], WINDOW["until"]]  # fmt: skip
    env = {**os.environ, "SPARK_LOCAL_IP": "127.0.0.1", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(job, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    # both executors (one per worker) ran tasks: the work was split between processes
    assert len(result["tasks"]) == 2 and all(n > 0 for n in result["tasks"].values()), result
    expected = cm.engagement(cm.load(events=EVENTS, engine="polars"), **WINDOW).metrics
    for key, value in expected.items():
        assert close(result["metrics"][key], value), key
