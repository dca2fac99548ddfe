"""The Spark session csmetrics runs on, and moving small results back to Polars.

An existing session (a Databricks notebook's `spark`, one a job made) is used as it is; a new
one is made only when none is active. Results are exact only with UTC as the session's time
zone (local days come from `from_utc_timestamp`), so `utc` sets it for the length of a
computation and restores the caller's setting.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from csmetrics.core.errors import ConfigError

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

DEFAULT_MASTER = "local[*]"
TIME_ZONE_KEY = "spark.sql.session.timeZone"


def require_pyspark() -> None:
    try:
        import pyspark  # noqa: F401
    except ImportError as exc:
        raise ConfigError(
            "--engine spark needs pyspark: pip install 'csmetrics[spark]' (and Java 17 or newer)"
        ) from exc


def spark_session(master: str | None = None, memory: str | None = None) -> SparkSession:
    """The active session; else a new one on `master` (default local[*]).

    A new local session gets few shuffle partitions (event reductions end in small frames; 200
    partitions of nothing cost more than the work) and no web UI.
    """
    require_pyspark()
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None and master is None:
        return active
    chosen = master or DEFAULT_MASTER
    builder = (
        SparkSession.builder.master(chosen)
        .appName("csmetrics")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")  # stderr is for csmetrics' messages
        .config(TIME_ZONE_KEY, "UTC")
        .config("spark.sql.shuffle.partitions", str(4 * (os.cpu_count() or 2)))
    )
    if memory:
        builder = builder.config("spark.driver.memory", memory)
    logging = Path(__file__).with_name("log4j2.properties").as_uri()
    builder = builder.config(
        "spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile={logging}"
    )
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


@contextmanager
def utc(spark: SparkSession) -> Iterator[None]:
    """UTC as the session's time zone while csmetrics computes; the caller's setting after."""
    before = spark.conf.get(TIME_ZONE_KEY) or "UTC"
    spark.conf.set(TIME_ZONE_KEY, "UTC")
    try:
        yield
    finally:
        spark.conf.set(TIME_ZONE_KEY, before)


def to_polars(frame: DataFrame) -> pl.DataFrame:
    """A small Spark result as a Polars frame (through Arrow, no per-row Python)."""
    with warnings.catch_warnings():
        # pyspark warns about pandas versions on the Arrow path, which uses no pandas
        warnings.simplefilter("ignore", FutureWarning)
        table = frame.toArrow()
    result = pl.from_arrow(table)
    assert isinstance(result, pl.DataFrame)
    return result


def from_polars(spark: SparkSession, frame: pl.DataFrame) -> DataFrame:
    """A small Polars frame (an accounts file, in-memory events) as a Spark frame. Spark has no
    unsigned integers: 64-bit ones (hashed ids, compared only) keep their bits as signed."""
    frame = frame.with_columns(
        pl.col(name).reinterpret(signed=True) if dtype == pl.UInt64 else pl.col(name).cast(pl.Int64)
        for name, dtype in frame.schema.items()
        if dtype in (pl.UInt8, pl.UInt16, pl.UInt32, pl.UInt64)
    ).with_columns(pl.col(pl.Categorical, pl.Enum).cast(pl.String))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        return spark.createDataFrame(frame.to_arrow())


def is_spark_frame(value: Any) -> bool:
    return type(value).__module__.startswith("pyspark.sql")
