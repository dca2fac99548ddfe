"""The mapping plan: which of an export's headers each canonical column is read from, and how
(null tokens, a preset's flags and words, a constant, a time format), decided once from the
source's settings and its headers. Both readers, Polars's (canonical.py) and Spark's
(spark_reader.py), apply the same plan, so a preset means the same on either engine; each only
turns a header into its own expression and converts the values."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from csmetrics.ingest.sources.mapping import column_mapping
from csmetrics.ingest.sources.presets import PRESETS
from csmetrics.ingest.sources.schema import DEDUP_COLUMN, DEDUP_ONLY, SCHEMAS
from csmetrics.ingest.sources.spec import SourceSpec
from csmetrics.ingest.sources.wide import wide_columns

# a column missing from the export: (canonical name, the headers tried, whether the user named it)
Missing = tuple[str, tuple[str, ...], bool]


@dataclass(frozen=True)
class ColumnPlan:
    """How one canonical column is read. `headers`: the export's headers found, first wins and
    later ones fill its gaps (Segment's userId, then anonymousId); `nulls`: tokens read as
    missing; `flag`: a preset's header whose having a value makes the column true (Stripe's
    Subscription: recurring); `words`: a preset's words for canonical values, compared without
    case or stray spaces; `constant`: a value for every row (--survey); `format`: a strftime
    format of its times; `in_hours`: a preset's duration column whose plain numbers are hours
    (Freshdesk's `(in hrs)`)."""

    name: str
    headers: tuple[str, ...] = ()
    nulls: tuple[str, ...] = ()
    flag: str | None = None
    words: Mapping[str, str] = field(default_factory=dict)
    constant: str | None = None
    format: str | None = None
    in_hours: bool = False


@dataclass(frozen=True)
class MappingPlan:
    """Every column to read, in the mapping's order; the repeated-row key and the columns it is
    read with; the columns read only for that key."""

    columns: dict[str, ColumnPlan]
    required: frozenset[str]
    key: str | None
    key_with: tuple[str, ...]
    dedup_only: frozenset[str]
    missing: tuple[Missing, ...]

    def kept(self, needed: Iterable[str] | None) -> tuple[str, ...]:
        """The columns handed on: those needed (all when None), less those read only to find
        repeated rows unless needed."""
        asked = None if needed is None else set(needed)
        wanted = set(self.columns) if asked is None else {*asked, *self.required, self.key}
        dropped = self.dedup_only - (asked or set())
        return tuple(c for c in self.columns if c in wanted and c not in dropped)


def mapping_plan(
    spec: SourceSpec, needed: Iterable[str] | None, resolves: Callable[[str], str | None]
) -> MappingPlan:
    """The plan for `spec` (its preset already detected). `resolves(header)` is the engine's
    header lookup: the header as the export spells it (exact, other case, a nested path), or
    None when the export has no such header."""
    schema = SCHEMAS[spec.kind]
    required = frozenset(c for c, column in schema.items() if column.required)
    wanted = set(schema) if needed is None else {*needed, *required}
    key = DEDUP_COLUMN.get(spec.kind)
    if key:
        wanted.add(key)
    preset = PRESETS.get(spec.preset) if spec.preset else None
    columns: dict[str, ColumnPlan] = {}
    missing: list[Missing] = []
    for name, (candidates, explicit) in column_mapping(spec).items():
        if name not in wanted:
            continue
        if name == "survey" and spec.survey:
            columns[name] = ColumnPlan(name, constant=spec.survey)
            continue
        borrowed = preset is not None and not explicit  # a user's mapping wins over a preset
        nulls = (*spec.null_values, *(preset.null_values.get(name, ()) if preset else ()))
        flag = preset.flags.get(name) if borrowed and preset else None
        if flag is not None and (header := resolves(flag)) is not None:
            # a flag's blank or null-token cells are "no value" (the spec's tokens alone)
            columns[name] = ColumnPlan(name, (header,), spec.null_values, flag=flag)
            continue
        found = tuple(dict.fromkeys(h for c in candidates if (h := resolves(c)) is not None))
        if not found:
            if explicit or name in required:
                missing.append((name, candidates, explicit))
            continue
        words = preset.words.get(name, {}) if borrowed and preset else {}
        in_hours = borrowed and preset is not None and name in preset.hours
        columns[name] = ColumnPlan(
            name, found, nulls, words=words, format=spec.formats.get(name), in_hours=in_hours
        )
    if spec.kind == "surveys" and wide_columns(columns):
        missing = _with_wide_cxi(columns, missing)
    key_with = tuple(c for c in (preset.dedup_with if preset else ()) if c in columns)
    return MappingPlan(
        columns,
        required,
        key if key in columns else None,
        key_with,
        frozenset(DEDUP_ONLY.get(spec.kind, ())),
        tuple(missing),
    )


def _with_wide_cxi(columns: dict[str, ColumnPlan], missing: list[Missing]) -> list[Missing]:
    """A wide CX index export (sources/wide.py) needs no score or survey column: its answers
    are the component columns, of survey cxi (unless the rows name their survey)."""
    if "survey" not in columns:
        columns["survey"] = ColumnPlan("survey", constant="cxi")
    return [m for m in missing if m[0] not in ("score", "survey") or m[2]]
