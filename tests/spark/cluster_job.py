"""Engagement on a Spark standalone cluster, run by test_cluster.py in a process of its own (one
SparkContext per process). argv: master URL, events path, since, until. Prints JSON: the
metrics, and the tasks each executor ran (from the driver's REST API)."""

from __future__ import annotations

import json
import sys
import time
import urllib.request

from pyspark.sql import SparkSession

import csmetrics as cm


def main() -> None:
    master, events, since, until = sys.argv[1:5]
    spark = (
        SparkSession.builder.master(master)
        .appName("csmetrics-cluster-test")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.executor.memory", "512m")
        .config("spark.sql.shuffle.partitions", "2")  # two one-core executors
        .config("spark.ui.port", "0")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    started = time.perf_counter()
    inputs = cm.load(events=events, engine=spark)
    loaded = time.perf_counter()
    report = cm.engagement(inputs, since=since, until=until)
    print(
        f"load {loaded - started:.1f}s compute {time.perf_counter() - loaded:.1f}s", file=sys.stderr
    )
    app = spark.sparkContext.applicationId
    url = f"{spark.sparkContext.uiWebUrl}/api/v1/applications/{app}/executors"
    with urllib.request.urlopen(url, timeout=10) as response:
        executors = json.load(response)
    tasks = {e["id"]: e["totalTasks"] for e in executors if e["id"] != "driver"}
    print(json.dumps({"metrics": report.metrics, "tasks": tasks}))
    spark.stop()


if __name__ == "__main__":
    main()
