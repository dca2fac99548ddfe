"""Which engine computes the event families: Polars on this machine (the default) or Apache
Spark, where the events are too many for one machine or already live next to a Spark cluster.

Chosen by `cm.load(engine=...)`, `--engine`/`--spark-master`, the config's `[engine]` table, or
the environment (`CSMETRICS_ENGINE=spark`, `CSMETRICS_SPARK_MASTER`), in that order.
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
    session: Any = None  # an existing SparkSession

    @property
    def is_spark(self) -> bool:
        return self.name == "spark"

    def spark(self) -> Any:
        """The SparkSession to compute on (made on first use)."""
        if self.session is not None:
            return self.session
        from csmetrics.core.spark.session import spark_session

        return spark_session(self.spark_master, self.spark_memory)


def engine_of(
    engine: str | Engine | Any | None = None,
    spark_master: str | None = None,
    spark_memory: str | None = None,
) -> Engine:
    """An Engine from what a caller gave: a name, an Engine, a SparkSession, or nothing (the
    environment's CSMETRICS_ENGINE, else Polars)."""
    if isinstance(engine, Engine):
        return engine
    if engine is not None and not isinstance(engine, str):
        if type(engine).__name__ == "SparkSession":
            return Engine("spark", session=engine)
        raise ConfigError(
            f"engine: expected 'polars', 'spark' or a SparkSession, got {type(engine).__name__}"
        )
    name = engine or os.environ.get("CSMETRICS_ENGINE") or "polars"
    if name not in ENGINES:
        raise ConfigError(f"--engine: expected one of {', '.join(ENGINES)}, got {name!r}")
    master = spark_master or os.environ.get("CSMETRICS_SPARK_MASTER") or None
    memory = spark_memory or os.environ.get("CSMETRICS_SPARK_MEMORY") or None
    return Engine(name, master, memory)
