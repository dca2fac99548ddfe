"""Reports computed through Spark Connect, run by test_connect.py in a process of its own (pyspark
refuses a Connect session in a process that already holds a classic one, as the other Spark
tests' workers do). argv: remote address, events path, config path, mode ("families": the sample
config's sources with the given events through --spark-remote's path; "session": a Connect
session handed to cm.load). Prints JSON: each family's report, as `Report.to_json` writes it."""

from __future__ import annotations

import json
import sys
import warnings

import csmetrics as cm

WINDOW = {"since": "2026-10-01", "until": "2026-11-01"}
FAMILIES = ("engagement", "onboarding", "retention", "health", "revenue")


def main() -> None:
    remote, events, config, mode = sys.argv[1:5]
    warnings.simplefilter("ignore", FutureWarning)  # pyspark on the installed pandas
    if mode == "session":
        from pyspark.sql import SparkSession

        session = SparkSession.builder.remote(remote).getOrCreate()
        inputs = cm.load(events=events, engine=session)
        families: tuple[str, ...] = ("retention",)
    else:
        inputs = cm.load(config=config, events=events, spark_remote=remote)
        families = FAMILIES
    assert type(inputs.sources["events"].spark).__module__.startswith("pyspark.sql.connect")
    reports = {f: json.loads(cm.compute_family(f, inputs, {}, WINDOW).to_json()) for f in families}
    print(json.dumps(reports))


if __name__ == "__main__":
    main()
