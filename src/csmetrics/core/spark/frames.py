"""The frames a Spark plan reads, and the intermediates it keeps for several outputs."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import polars as pl
from pyspark import StorageLevel
from pyspark.sql import DataFrame, SparkSession

from csmetrics.core.spark.session import from_polars


class SparkFrames(Mapping[str, DataFrame]):
    """Source frames by kind (a small Polars source becomes a Spark frame when a plan first
    reads it). `keep` persists an intermediate that several outputs read (so
    Spark computes it once, spilling to disk when memory is short); `release` frees them all
    once the outputs are collected."""

    def __init__(self, spark: SparkSession, frames: Mapping[str, DataFrame | pl.DataFrame]) -> None:
        self._spark = spark
        self._frames = dict(frames)
        self._kept: list[DataFrame] = []

    def __getitem__(self, kind: str) -> DataFrame:
        frame = self._frames[kind]
        if isinstance(frame, pl.DataFrame):
            frame = self._frames[kind] = from_polars(self._spark, frame)
        return frame

    def __iter__(self) -> Iterator[str]:
        return iter(self._frames)

    def __len__(self) -> int:
        return len(self._frames)

    def keep(self, frame: DataFrame) -> DataFrame:
        kept = frame.persist(StorageLevel.MEMORY_AND_DISK)
        self._kept.append(kept)
        return kept

    def release(self) -> None:
        for frame in self._kept:
            frame.unpersist()
        self._kept.clear()
