"""`csmetrics validate`: each source read against its contract, profiled in one pass."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from csmetrics.sources.quality import check_quality, clean_frame
from csmetrics.sources.read import load_and_assess
from csmetrics.sources.schema import SCHEMAS
from csmetrics.sources.spec import SourceSpec


def profile_sources(specs: Mapping[str, SourceSpec]) -> list[dict[str, Any]]:
    loaded, staged, qualities, repeats = load_and_assess(
        {kind: (spec, None) for kind, spec in specs.items()}
    )
    counts = pl.collect_all(
        [clean_frame(s, staged[k], repeats[k]).select(pl.len()) for k, s in loaded.items()]
    )
    profiles = []
    for index, source in enumerate(loaded.values()):
        quality = qualities[source.spec.kind]
        warnings = check_quality(source, quality)
        schema = SCHEMAS[source.spec.kind]
        profiles.append(
            {
                "source": source.spec.kind,
                "paths": [f.as_posix() for f in source.files],
                "rows": int(quality["rows"]),
                "rows_used": int(counts[index].item()),
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
