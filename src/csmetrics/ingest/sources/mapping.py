"""Column mapping: which header of an export holds each canonical column (the user's
mapping, a preset, the canonical name), and which known layout a file's headers match."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

import polars as pl

from csmetrics.core.diagnostics import DataWarning
from csmetrics.core.errors import InputError
from csmetrics.core.text import printable
from csmetrics.ingest.sources.files import describe_files
from csmetrics.ingest.sources.messy import normalised
from csmetrics.ingest.sources.presets import PRESETS
from csmetrics.ingest.sources.schema import SCHEMAS
from csmetrics.ingest.sources.spec import SourceSpec

HeaderMap = dict[str, tuple[tuple[str, ...], bool]]  # canonical column -> (headers, explicit)


def find_header(wanted: str, schema: pl.Schema) -> tuple[pl.Expr, pl.DataType] | None:
    """The expression reading `wanted`: exact header, case-insensitive, or a dotted nested path."""
    if wanted in schema:
        return pl.col(wanted), schema[wanted]
    # headers re-typed by people: other case, stray spaces
    lower = {normalised(name): name for name in schema.names()}
    if normalised(wanted) in lower:
        name = lower[normalised(wanted)]
        return pl.col(name), schema[name]
    if wanted.endswith("]") and "[" in wanted and "." not in wanted.split("[", 1)[0]:
        return _keyed_record(wanted, schema)
    if "." in wanted:
        head, rest = wanted.split(".", 1)
        if "[" in head:  # `list[KEY].field`: the record, then the path inside it
            record = find_header(head, schema)
            if record is None or not isinstance(record[1], pl.Struct):
                return None
            inner = pl.Schema({f.name: f.dtype for f in record[1].fields})
            nested = find_header(rest, inner)
            if nested is None:
                return None
            return _within(record[0], rest, inner), nested[1]
        found = find_header(head, schema)
        if found is not None and isinstance(found[1], pl.Struct):
            inner = pl.Schema({f.name: f.dtype for f in found[1].fields})
            nested = find_header(rest, inner)
            if nested is not None:
                leaf = nested[0].meta.output_name()
                return found[0].struct.field(leaf), nested[1]
    return None


def spelled_header(wanted: str, schema: pl.Schema) -> str | None:
    """The header as the export spells it (`Amount` for a wanted `amount`), so that a preset's
    header and the canonical name that both find it count once; a nested path as written."""
    found = find_header(wanted, schema)
    if found is None:
        return None
    plain = wanted in schema or not ("." in wanted or "[" in wanted)
    return found[0].meta.output_name() if plain else wanted


def _keyed_record(wanted: str, schema: pl.Schema) -> tuple[pl.Expr, pl.DataType] | None:
    """`name[KEY]`: from a list of `{key, ...}` records, the first whose key is KEY."""
    name, key = wanted[:-1].split("[", 1)
    found = find_header(name, schema)
    if found is None or not isinstance(found[1], pl.List):
        return None
    record = found[1].inner
    if not isinstance(record, pl.Struct) or "key" not in {f.name for f in record.fields}:
        return None
    picked = (
        found[0]
        .list.eval(pl.element().filter(pl.element().struct.field("key") == key))
        .list.first()
    )
    return picked, record


def _within(record: pl.Expr, path: str, schema: pl.Schema) -> pl.Expr:
    """A dotted path inside a struct expression."""
    head, _, rest = path.partition(".")
    name = next(n for n in schema.names() if normalised(n) == normalised(head))
    field = record.struct.field(name)
    dtype = schema[name]
    if rest and isinstance(dtype, pl.Struct):
        return _within(field, rest, pl.Schema({f.name: f.dtype for f in dtype.fields}))
    return field


def _resolves(headers: Iterable[str], schema: pl.Schema) -> bool:
    return any(find_header(h, schema) is not None for h in headers)


def detect_preset(kind: str, schema: pl.Schema) -> str | None:
    """The known export layout a file's headers match: every required column found (under the
    preset's headers or the canonical name) and the most columns found under headers of its
    own that differ from the canonical names (Segment's warehouse `anonymous_id` and
    `context_group_id`); None when no preset has such a header, as for a canonical file."""
    required = [name for name, column in SCHEMAS[kind].items() if column.required]
    best, ranking = None, (0, 0)
    for name, preset in PRESETS.items():
        if preset.kind != kind:
            continue
        own = {c: (h,) if isinstance(h, str) else tuple(h) for c, h in preset.columns.items()}
        fallback = {c: () if c in preset.exact else (c,) for c in required}
        if not all(_resolves((*own.get(c, ()), *fallback[c]), schema) for c in required):
            continue
        mine = {
            c
            for c, headers in own.items()
            if any(normalised(h) != normalised(c) and _resolves((h,), schema) for h in headers)
        }
        # one generic extra header (a canonical file with a row "id") is not a vendor layout:
        # a required column under the vendor's name, or two of its names, are
        if not (mine & set(required) or len(mine) >= 2):
            continue
        found = sum(_resolves(headers, schema) for headers in own.values())
        marked = sum(_resolves((m,), schema) for m in preset.markers)
        if (len(mine) + marked, found) > ranking:
            best, ranking = name, (len(mine) + marked, found)
    return best


def with_detected_preset(
    spec: SourceSpec, schema: pl.Schema, notes: list[DataWarning]
) -> SourceSpec:
    """With `preset = "auto"` (the default when no mapping is given), the preset whose layout
    the headers match, said in a note."""
    automatic = spec.preset == "auto" or (spec.preset is None and not spec.columns)
    if not automatic:
        return spec
    found = detect_preset(spec.kind, schema)
    if found is not None:
        notes.append(
            DataWarning(
                "preset_detected",
                f"{spec.kind}: the headers match the {found} export layout; read with "
                f"--preset {spec.kind}={found}",
                source=spec.kind,
            )
        )
    return replace(spec, preset=found)


def column_mapping(spec: SourceSpec) -> HeaderMap:
    """canonical column -> (candidate headers, chosen explicitly by the user)."""
    if spec.preset == "auto":
        # before the headers are known: every layout's names (for finding the header line)
        return every_layout(spec)
    preset = PRESETS.get(spec.preset) if spec.preset else None
    if spec.preset and preset is None:
        raise InputError(
            f"--preset: unknown preset {spec.preset!r} for {spec.kind} "
            f"(known: {', '.join(n for n, p in PRESETS.items() if p.kind == spec.kind)})"
        )
    if preset is not None and preset.kind != spec.kind:
        raise InputError(f"--preset: {spec.preset!r} is a {preset.kind} preset, not {spec.kind}")
    schema = SCHEMAS[spec.kind]
    unknown = sorted(set(spec.columns) - set(schema))
    if unknown:
        raise InputError(
            f"{spec.kind}: cannot map unknown column {unknown[0]!r} "
            f"(canonical columns: {', '.join(schema)})"
        )
    out: HeaderMap = {}
    for name in schema:
        if name in spec.columns:
            out[name] = ((spec.columns[name],), True)
        elif preset is not None and name in preset.ignore:
            out[name] = ((), False)
        elif preset is not None and name in preset.columns:
            value = preset.columns[name]
            headers = (value,) if isinstance(value, str) else tuple(value)
            # the canonical name is the last fallback: API exports often use it (Zendesk's
            # created_at, Chargebee's currency) where the preset names the CSV header
            fallback = name not in headers and name not in preset.exact
            out[name] = ((*headers, name) if fallback else headers, False)
        else:
            out[name] = ((name,), False)
    return out


def every_layout(spec: SourceSpec) -> HeaderMap:
    out: HeaderMap = {}
    for name in SCHEMAS[spec.kind]:
        headers = [name]
        for preset in PRESETS.values():
            if preset.kind == spec.kind and name in preset.columns:
                value = preset.columns[name]
                headers += [value] if isinstance(value, str) else list(value)
        out[name] = (tuple(dict.fromkeys(headers)), False)
    return out


def missing_columns_error(
    spec: SourceSpec,
    files: list[Path],
    missing: list[tuple[str, tuple[str, ...], bool]],
    raw_schema: pl.Schema,
) -> InputError:
    """One error listing every missing column, the headers found and the --map lines to add.
    A file's headers are shown only when they look like column names: a config pointing at
    `secrets.env` must not print its first line into a CI log."""
    names = raw_schema.names()
    header_like = not files or plausible_header(names)
    where = describe_files(files) if files else spec.label
    parts = []
    for name, candidates, explicit in missing:
        looked = " or ".join(repr(c) for c in candidates)
        how = "mapped by you to" if explicit else "expected"
        close = _closest_header(candidates, names) if header_like else None
        hint = f"; did you mean {close!r}?" if close else ""
        parts.append(f"{name!r} ({how} {looked}{hint})")
    fixes = " ".join(f"--map {spec.kind}.{name}=HEADER" for name, _, _ in missing)
    if any(name == "survey" for name, _, _ in missing):
        fixes += " (or, for an export of one survey kind, --survey nps|csat|ces)"
    noun = "column" if len(missing) == 1 else "columns"
    if not header_like:
        return InputError(
            f"{where}: does not look like {_article(spec.kind)} {spec.kind} export: its first "
            "line is not a "
            f"header of column names ({spec.kind} {noun} not found: {', '.join(parts)})"
        )
    shown = ", ".join(_cut(n) for n in names[:SHOWN_HEADERS])
    more = f" and {len(names) - SHOWN_HEADERS} more" if len(names) > SHOWN_HEADERS else ""
    return InputError(
        f"{where}: {spec.kind} {noun} not found: {', '.join(parts)}; map with {fixes}. "
        f"Headers: {shown}{more}"
    )


SHOWN_HEADERS = 20
HEADER_MAX = 64  # longer "names" are values or prose, not column names
# what column names are made of: words, spaces and the punctuation exports put in them
_HEADER_NAME = re.compile(r"[\w .,()$#%/&+\-\[\]@'’|]*")


def plausible_header(names: list[str]) -> bool:
    """Whether a file's first line reads as column names (`API_TOKEN=...`, a PEM block or a
    sentence does not)."""
    return bool(names) and all(
        len(name) <= HEADER_MAX and _HEADER_NAME.fullmatch(name) is not None for name in names
    )


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def _cut(name: str, width: int = 40) -> str:
    shown = printable(name)
    return shown if len(shown) <= width else shown[: width - 1] + "…"


def _closest_header(candidates: tuple[str, ...], headers: list[str]) -> str | None:
    """The header most like one of the expected names (case and separators aside)."""
    by_key = {normalised(h): h for h in headers}
    for candidate in candidates:
        close = difflib.get_close_matches(normalised(candidate), list(by_key), n=1, cutoff=0.75)
        if close:
            return by_key[close[0]]
    return None
