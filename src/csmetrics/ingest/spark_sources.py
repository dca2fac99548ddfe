"""Reading the events' raw rows on Spark: a DataFrame given as it is, a Delta or Iceberg table
through the session's own reader (never its folder as Parquet), files by their format. Mapping
and cleaning them is spark_reader.py's."""

from __future__ import annotations

import os
from pathlib import Path

from pyspark.errors import AnalysisException
from pyspark.sql import DataFrame, SparkSession

from csmetrics.core.errors import InputError
from csmetrics.ingest.sources.database import database_of
from csmetrics.ingest.sources.lake import lake_table
from csmetrics.ingest.sources.lake_table import LakeTable
from csmetrics.ingest.sources.spec import SourceSpec


def read_raw(spark: SparkSession, spec: SourceSpec) -> tuple[DataFrame, str]:
    """The source's rows as Spark reads them (a DataFrame given, a lakehouse table through the
    session's own reader, files by their format), and the label its errors name."""
    if spec.spark_data is not None:
        return spec.spark_data, spec.label
    path = spec.path
    if database_of(spec) is not None:
        raise InputError(
            f"{spec.label}: events in a database are read with --engine polars; for Spark, read "
            "the table with Spark's own JDBC reader and pass the DataFrame (cm.load(events=df))"
        )
    table = lake_table(path, spec.version)
    if table is not None:
        return _read_lake(spark, table), path
    kind = spec.format_in or _format_of(path)
    reader = spark.read
    try:
        if kind in ("csv", "tsv"):
            return reader.options(
                header=True, sep="\t" if kind == "tsv" else ",", mode="PERMISSIVE"
            ).csv(path), path
        if kind in ("json", "jsonl", "ndjson"):
            return reader.json(path), path
        return reader.parquet(path), path
    except AnalysisException as exc:
        first = str(exc).strip().splitlines()[0]
        raise InputError(f"{path}: Spark cannot read it as {kind}: {first}") from exc


def _read_lake(spark: SparkSession, table: LakeTable) -> DataFrame:
    """A lakehouse table through Spark's own reader (the session needs the format: Databricks
    has Delta, elsewhere the delta-spark package or Iceberg's Spark runtime); never its folder
    as Parquet, whose removed files would count twice."""
    reader = spark.read.format(table.format)
    if table.version is not None:
        pin = "versionAsOf" if table.format == "delta" else "snapshot-id"
        reader = reader.option(pin, table.version)
    try:
        return reader.load(table.folder)
    except Exception as exc:  # a session without the format raises a class-not-found
        first = str(exc).strip().splitlines()[0][:200]
        package = "the delta-spark package" if table.format == "delta" else "iceberg-spark-runtime"
        raise InputError(
            f"{table.folder}: {table.article} {table.name}, which this Spark session cannot read (add "
            f"{package} to it, or use --engine polars): {first}"
        ) from exc


def _format_of(path: str) -> str:
    """By the name's extension; a local folder by its first data file; else Parquet (what a
    data lake's folders hold)."""
    name = path.lower().removesuffix(".gz").removesuffix(".bz2")
    for ext in ("parquet", "csv", "tsv", "json", "jsonl", "ndjson"):
        if name.endswith(f".{ext}") or name.endswith(f".{ext}*"):
            return ext
    if "://" not in path and Path(path).is_dir():
        for _, _, files in os.walk(path):
            for file in sorted(files):
                if not file.startswith((".", "_")):
                    return _format_of(file) if "." in file else "parquet"
    return "parquet"
