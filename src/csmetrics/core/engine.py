"""Which engine computes the event families: Polars on this machine (the default) or Apache
Spark, where the events are too many for one machine or already live next to a Spark cluster.

Chosen by `cm.load(engine=...)`, `--engine`/`--spark-master`/`--spark-remote`, the config's
`[engine]` table, or the environment (`CSMETRICS_ENGINE=spark`, `CSMETRICS_SPARK_MASTER`,
`CSMETRICS_SPARK_REMOTE`), in that order. A Spark Connect address (`sc://host:15002`: Databricks
serverless and shared clusters, Spark 4 remote sessions) picks Spark by itself.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Literal

from csmetrics.core.errors import ConfigError

EngineName = Literal["polars", "spark"]
ENGINES: tuple[EngineName, ...] = ("polars", "spark")


@dataclass(frozen=True)
class Engine:
    name: EngineName = "polars"
    spark_master: str | None = None  # None: the active session, else local[*]
    spark_memory: str | None = None  # driver memory of a new local session ("4g")
    session: Any = None  # an existing SparkSession (classic or Connect)
    spark_remote: str | None = None  # a Spark Connect address, sc://host:port

    @property
    def is_spark(self) -> bool:
        return self.name == "spark"

    def spark(self) -> Any:
        """The SparkSession to compute on (made on first use)."""
        if self.session is not None:
            return self.session
        from csmetrics.core.spark.session import connect_session, spark_session

        if self.spark_remote is not None:
            return connect_session(self.spark_remote)
        return spark_session(self.spark_master, self.spark_memory)


def engine_of(
    engine: str | Engine | Any | None = None,
    spark_master: str | None = None,
    spark_memory: str | None = None,
    spark_remote: str | None = None,
) -> Engine:
    """An Engine from what a caller gave: a name, an Engine, a SparkSession, or nothing (the
    environment's CSMETRICS_ENGINE, else Polars; Spark when a Connect address is given)."""
    if isinstance(engine, Engine):
        return engine
    if engine is not None and not isinstance(engine, str):
        if type(engine).__name__ == "SparkSession":
            return Engine("spark", session=engine)
        raise ConfigError(
            f"engine: expected 'polars', 'spark' or a SparkSession, got {type(engine).__name__}"
        )
    remote = spark_remote or os.environ.get("CSMETRICS_SPARK_REMOTE") or None
    name = engine or os.environ.get("CSMETRICS_ENGINE") or ("spark" if remote else "polars")
    if name not in ENGINES:
        raise ConfigError(f"--engine: expected one of {', '.join(ENGINES)}, got {name!r}")
    master = spark_master or os.environ.get("CSMETRICS_SPARK_MASTER") or None
    memory = spark_memory or os.environ.get("CSMETRICS_SPARK_MEMORY") or None
    if remote is not None and name == "spark":
        if master is not None:
            raise ConfigError(
                "--spark-master and --spark-remote both name a Spark to run on: give one "
                "(a master URL starts a session here; a Connect address uses a server's)"
            )
        if not remote.startswith("sc://"):
            raise ConfigError(
                f"--spark-remote: expected a Spark Connect address such as sc://host:15002, "
                f"got {remote!r}"
            )
    return Engine(name, master, memory, spark_remote=remote if name == "spark" else None)
