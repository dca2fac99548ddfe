"""The Spark session csmetrics runs on, and moving small results back to Polars.

An existing session (a Databricks notebook's `spark`, one a job made) is used as it is; a new
one is made only when none is active. Results are exact only with UTC as the session's time
zone (local days come from `from_utc_timestamp`), so `utc` sets it for the length of a
computation and restores the caller's setting.
"""

from __future__ import annotations

import os
import socket
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from csmetrics.core.errors import ConfigError
from csmetrics.core.text import first_line

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

DEFAULT_MASTER = "local[*]"
CONNECT_PORT = 15002  # Spark Connect's default
CONNECT_TIMEOUT = 5.0  # seconds to open a connection to a Connect server
TIME_ZONE_KEY = "spark.sql.session.timeZone"


def require_pyspark() -> None:
    try:
        import pyspark  # noqa: F401
    except ImportError as exc:
        raise ConfigError(
            "--engine spark needs pyspark: pip install 'csmetrics[spark]' (and Java 17 or newer)"
        ) from exc


def connect_session(remote: str) -> SparkSession:
    """A Spark Connect session on `remote` (sc://host:port[/;token=...]). The server owns the
    cluster: its driver settings and logging are the server's, so only the session's own
    settings are made here; an unreachable server is one error line naming the address."""
    require_connect()
    from pyspark.sql import SparkSession

    where = without_token(remote)
    try:
        # the client retries an unreachable server for minutes: a plain connection says at once
        socket.create_connection(host_port(remote), timeout=CONNECT_TIMEOUT).close()
    except OSError as exc:
        raise ConfigError(
            f"--spark-remote: cannot reach a Spark Connect server at {where} ({exc.strerror or exc})"
        ) from exc
    try:
        with warnings.catch_warnings():
            # the client warns about the installed pandas, which csmetrics never hands it
            warnings.simplefilter("ignore", UserWarning)
            warnings.simplefilter("ignore", FutureWarning)
            session = SparkSession.builder.remote(remote).getOrCreate()
        session.conf.set("spark.sql.shuffle.partitions", str(4 * (os.cpu_count() or 2)))
    except Exception as exc:  # grpc raises its own types; the message names the cause
        raise ConfigError(
            f"--spark-remote: the Spark Connect server at {where} refused the session "
            f"({first_line(exc, 200)})"
        ) from exc
    return session


def host_port(remote: str) -> tuple[str, int]:
    """sc://host[:port][/;params] -> (host, port); Connect's port is 15002 unless given."""
    address = without_token(remote).removeprefix("sc://").rstrip("/")
    if ":" not in address:
        return address, CONNECT_PORT
    host, _, port = address.rpartition(":")
    if not port.isdigit():
        raise ConfigError(f"--spark-remote: {without_token(remote)!r} has no valid port")
    return host, int(port)


def without_token(remote: str) -> str:
    """The address without its parameters (a token must never reach a log or an error)."""
    return remote.split(";", 1)[0].rstrip("/")


def require_connect() -> None:
    require_pyspark()
    try:
        import grpc  # noqa: F401
    except ImportError as exc:
        raise ConfigError(
            "--spark-remote needs the Spark Connect client: pip install 'csmetrics[spark]' "
            "(pyspark[connect])"
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
