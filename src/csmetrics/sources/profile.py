"""`csmetrics validate`: each source read against its contract, profiled in one pass."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from csmetrics.sources.load import SourceSpec, check_quality, load_source
from csmetrics.sources.schema import SCHEMAS


def profile_sources(specs: Mapping[str, SourceSpec]) -> list[dict[str, Any]]:
    loaded = [load_source(spec, None) for spec in specs.values()]
    frames: list[pl.LazyFrame] = []
    for source in loaded:
        frames += [source.quality, source.frame.select(pl.len().alias("clean_rows"))]
    from csmetrics.runner import collect

    collected = collect(frames, {s.spec.kind: s for s in loaded})
    profiles = []
    for index, source in enumerate(loaded):
        quality = collected[2 * index].row(0, named=True)
        warnings = check_quality(source, quality)
        schema = SCHEMAS[source.spec.kind]
        profiles.append(
            {
                "source": source.spec.kind,
                "paths": [f.as_posix() for f in source.files],
                "rows": int(quality["rows"]),
                "rows_used": int(collected[2 * index + 1]["clean_rows"][0]),
                "first_timestamp": quality.get("first"),
                "last_timestamp": quality.get("last"),
                "duplicates": int(quality.get("duplicates") or 0),
                "columns": [
                    {
                        "column": name,
                        "header": source.headers[name],
                        "type": schema[name].kind,
                        "required": schema[name].required,
                        "nulls": int(quality.get(f"{name}__missing") or 0),
                    }
                    for name in source.columns
                ],
                "absent_columns": [name for name in schema if name not in source.columns],
                "warnings": [w.message for w in warnings],
            }
        )
    return profiles
