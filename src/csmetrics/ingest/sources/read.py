"""The one pass over the files: every source of a run read into memory, then assessed."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable, Mapping
from typing import Any

import polars as pl

from csmetrics.core.errors import InputError
from csmetrics.ingest.sources.bounds import content_bytes, refuse_past_memory
from csmetrics.ingest.sources.canonical import LoadedSource, load_source
from csmetrics.ingest.sources.quality import assess, clean_frame
from csmetrics.ingest.sources.schema import HASHED_COLUMNS, KEY_SEED
from csmetrics.ingest.sources.spec import SourceSpec

COMPACT_COLUMNS = ("user_id", "account_id", "event", "session_id")


def compact(frame: pl.LazyFrame, keys: Collection[str] = (), namespace: str = "") -> pl.LazyFrame:
    """Ids in compact, fast forms: `keys` (ids the caller only compares, never shows) as 64-bit
    hashes, other low-cardinality text as Categorical with one set of categories per column name
    in `namespace` (one per run: an `event` column's codes then number this run's event names
    alone, 0..n-1, and the same column of two sources shares its categories).

    A hash costs a twentieth of a Categorical cast for 100k+ distinct user ids; two distinct ids
    share a hash with probability ~n^2/2^65 (1e-9 for 200k users).
    """
    schema = frame.collect_schema()
    return frame.with_columns(
        key_hash(name)
        if name in keys
        else pl.col(name).cast(pl.Categorical(pl.Categories(name, namespace)))
        for name in dict.fromkeys((*COMPACT_COLUMNS, *keys))
        if schema.get(name) == pl.String
    )


def key_hash(name: str) -> pl.Expr:
    """The column as a 64-bit hash; missing values stay missing."""
    column = pl.col(name)
    return pl.when(column.is_not_null()).then(column.hash(seed=KEY_SEED)).alias(name)


def read_sources(
    sources: Mapping[str, LoadedSource], hash_keys: bool = True, namespace: str = ""
) -> dict[str, pl.LazyFrame]:
    """One pass over every source's files into memory (compact dtypes; with `hash_keys`, the
    HASHED_COLUMNS as hashes); read errors are input errors naming the files. Everything after
    this reads memory, never the files again."""
    kinds = list(sources)
    frames = collect(
        [
            compact(sources[k].staged, HASHED_COLUMNS.get(k, ()) if hash_keys else (), namespace)
            for k in kinds
        ],
        sources,
    )
    return {k: frame.lazy() for k, frame in zip(kinds, frames, strict=True)}


def collect(frames: list[pl.LazyFrame], sources: Mapping[str, LoadedSource]) -> list[pl.DataFrame]:
    """Collect all frames together; read errors become input errors naming the files."""
    try:
        return pl.collect_all(frames)
    except (
        pl.exceptions.ComputeError,
        pl.exceptions.InvalidOperationError,
        OSError,
        pl.exceptions.SchemaError,
        pl.exceptions.ShapeError,
        pl.exceptions.NoDataError,
        # a file the reader cannot take may make Polars panic (a Delta table's file whose size
        # is not the one its log gives): still the file's fault, still one line
        pl.exceptions.PanicException,
    ) as exc:
        paths = _labels(sources)
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(f"{paths}: cannot be read: {first}") from exc


def load_and_assess(
    requests: Mapping[str, tuple[SourceSpec, Iterable[str] | None]],
    hash_keys: bool = True,
) -> tuple[
    dict[str, LoadedSource],
    dict[str, pl.LazyFrame],
    dict[str, dict[str, Any]],
    dict[str, pl.Series | None],
]:
    """Load, read once and assess every requested source.

    A timestamp column read with a layout chosen from a sample may hold other forms further down;
    when some of its values then fail, that source is read again with the general parser, so a
    mixed file costs a second read instead of a wrong error. `hash_keys`: see `read_sources`.
    """
    sources = {kind: load_source(spec, needed) for kind, (spec, needed) in requests.items()}
    refuse_past_memory(sum(map(memory_estimate, sources.values())), _labels(sources))
    namespace = f"csmetrics-{uuid.uuid4().hex}"  # this run's categories
    try:
        staged = read_sources(sources, hash_keys, namespace)
    except InputError as error:
        # a CSV the fast reader cannot take (ragged rows, stray quotes): read it carefully; a
        # file that still fails raises its error from there
        retried = [k for k, s in sources.items() if s.is_csv and not s.careful and _small(s)]
        if not retried:
            raise
        for kind in retried:
            spec, needed = requests[kind]
            sources[kind] = load_source(spec, needed, careful=True)
        try:
            staged = read_sources(sources, hash_keys, namespace)
        except InputError:
            raise error from None
    qualities, repeats = assess(sources, staged)
    retry = [
        kind
        for kind, source in sources.items()
        if any(qualities[kind].get(f"{name}__invalid") for name in source.layouts)
        # values that do not convert in a CSV may be a header repeated mid-file
        or (
            source.is_csv
            and not source.careful
            and _has_invalid(qualities[kind])
            and _small(source)
            and _repeats_header(source)
        )
    ]
    if retry:
        for kind in retry:
            spec, needed = requests[kind]
            sources[kind] = load_source(
                spec, needed, detect_layouts=False, careful=sources[kind].is_csv
            )
        again = {kind: sources[kind] for kind in retry}
        staged.update(read_sources(again, hash_keys, namespace))
        more_qualities, more_repeats = assess(again, {k: staged[k] for k in retry})
        qualities.update(more_qualities)
        repeats.update(more_repeats)
    return sources, staged, qualities, repeats


def memory_estimate(source: LoadedSource) -> int:
    """A lower bound of the bytes `source` takes once read: its files' content times the share
    of their columns read (an in-memory frame: 0, it is in memory already)."""
    if not source.files:
        return 0
    total = len(source.raw.collect_schema()) or 1
    read = len(set(source.headers.values())) or total
    return sum(content_bytes(f) for f in source.files) * min(read, total) // total


def _labels(sources: Mapping[str, LoadedSource]) -> str:
    return ", ".join(s.label for s in sources.values())


CAREFUL_MAX_BYTES = 512 * 1024 * 1024  # the thorough reader holds every row as Python text


def _small(source: LoadedSource) -> bool:
    return sum(f.stat().st_size for f in source.files) <= CAREFUL_MAX_BYTES


def _has_invalid(quality: Mapping[str, Any]) -> bool:
    return any(v for k, v in quality.items() if k.endswith("__invalid"))


def _repeats_header(source: LoadedSource) -> bool:
    """Whether a row of the file holds the header's names again (concatenated exports): one
    more pass over the first column, on the error path only, before the thorough reader."""
    first = source.raw.collect_schema().names()[0]
    column = pl.col(first).cast(pl.String).str.strip_chars()
    try:
        return bool(source.raw.select((column == first.strip()).any()).collect().item())
    except pl.exceptions.PolarsError:
        return False


def read_one(
    spec: SourceSpec, needed: Iterable[str] | None = None
) -> tuple[pl.DataFrame, dict[str, Any]]:
    """One source's cleaned rows, ids as read, and its quality row (for tools and tests)."""
    sources, staged, qualities, repeats = load_and_assess(
        {spec.kind: (spec, needed)}, hash_keys=False
    )
    source = sources[spec.kind]
    return clean_frame(source, staged[spec.kind], repeats[spec.kind]).collect(), qualities[
        spec.kind
    ]
