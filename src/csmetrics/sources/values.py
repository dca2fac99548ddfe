"""Value conversions from whatever an export holds to the canonical column types (data.md)."""

from __future__ import annotations

import polars as pl

from csmetrics.sources.schema import Kind
from csmetrics.timeparts import TIMESTAMP_DTYPE

# Day and month in either order (`08-04-2023 20:52`): ambiguous without an explicit format.
AMBIGUOUS_DATE = r"^\s*\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}"
EXPECTED_TIMESTAMP = (
    "ISO 8601 (2026-11-02T09:15:00Z, 2026-11-02 09:15:00+01:00, 2026-11-02), "
    "or Unix epoch seconds/milliseconds"
)
_EPOCH_TEXT = r"^-?\d+(\.\d+)?$"
_AWARE_FORMATS = ("%Y-%m-%d %H:%M:%S%.f%:z", "%Y-%m-%d %H:%M:%S%.f%z", "%Y-%m-%d %H:%M%:z")
_NAIVE_FORMATS = ("%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%d %H:%M")


def to_utc_from_local(naive: pl.Expr, source_tz: str) -> pl.Expr:
    """Naive wall-clock datetimes in `source_tz` to UTC instants."""
    naive = naive.cast(pl.Datetime("us"))
    if source_tz == "UTC":
        return naive.dt.replace_time_zone("UTC")
    local = naive.dt.replace_time_zone(source_tz, ambiguous="earliest", non_existent="null")
    return local.dt.convert_time_zone("UTC")


def epoch_to_utc(number: pl.Expr) -> pl.Expr:
    """Unix epoch numbers to UTC: magnitude decides seconds, milliseconds or microseconds."""
    value = number.cast(pl.Float64)
    size = value.abs()
    micros = (
        pl.when(size >= 1e14)
        .then(value)
        .when(size >= 1e11)
        .then(value * 1e3)
        .otherwise(value * 1e6)
    )
    return pl.from_epoch(micros.round(0).cast(pl.Int64), time_unit="us").dt.replace_time_zone("UTC")


# Layouts one strptime call reads. `detect_layout` picks one from a sample so that a large CSV
# is parsed once, not tried against every ISO form (5x slower: each form parses the column).
EPOCH = "epoch"
_LAYOUTS: dict[str, str] = {
    "%Y-%m-%dT%H:%M:%SZ": "utc",
    "%Y-%m-%dT%H:%M:%S%.fZ": "utc",
    "%Y-%m-%d %H:%M:%SZ": "utc",
    "%Y-%m-%dT%H:%M:%S%#z": "aware",
    "%Y-%m-%d %H:%M:%S%#z": "aware",
    "%Y-%m-%dT%H:%M:%S%.f%#z": "aware",
    "%Y-%m-%d %H:%M:%S%.f%#z": "aware",
    "%Y-%m-%d %H:%M:%S": "local",
    "%Y-%m-%dT%H:%M:%S": "local",
    "%Y-%m-%d %H:%M:%S%.f": "local",
    "%Y-%m-%dT%H:%M:%S%.f": "local",
    "%Y-%m-%d %H:%M": "local",
    "%Y-%m-%d": "date",
    EPOCH: "epoch",
}


def _parse_layout(text: pl.Expr, layout: str, source_tz: str) -> pl.Expr:
    kind = _LAYOUTS[layout]
    if kind == "epoch":
        return epoch_to_utc(text.cast(pl.Float64, strict=False))
    if kind == "date":
        return to_utc_from_local(text.str.to_date(layout, strict=False), source_tz)
    parsed = text.str.to_datetime(layout, strict=False, time_unit="us")
    if kind == "utc":
        return parsed.dt.replace_time_zone("UTC")
    if kind == "aware":
        return parsed.dt.convert_time_zone("UTC")
    return to_utc_from_local(parsed, source_tz)


def detect_layout(sample: pl.Series, source_tz: str) -> str | None:
    """The one layout that reads every value of `sample` exactly as the general parser does."""
    values = sample.drop_nulls().cast(pl.String).str.strip_chars()
    if values.len() == 0:
        return None
    frame = pl.DataFrame({"v": values})
    general = frame.select(parse_timestamp(pl.col("v"), pl.String(), None, source_tz)).to_series()
    if general.null_count():
        return None  # unreadable values: the general parser will report them
    for layout in _LAYOUTS:
        fast = frame.select(_parse_layout(pl.col("v"), layout, source_tz)).to_series()
        if fast.null_count() == 0 and fast.equals(general):
            return layout
    return None


def parse_timestamp(
    raw: pl.Expr,
    dtype: pl.DataType,
    fmt: str | None,
    source_tz: str,
    layout: str | None = None,
) -> pl.Expr:
    """A UTC timestamp from a column of any dtype an export may hold; null where unparseable.

    `layout` (from `detect_layout`) reads text with one known layout instead of trying them all.
    """
    if isinstance(dtype, pl.Datetime):
        if dtype.time_zone is not None:
            return raw.dt.convert_time_zone("UTC").cast(TIMESTAMP_DTYPE)
        return to_utc_from_local(raw, source_tz)
    if dtype == pl.Date:
        return to_utc_from_local(raw.cast(pl.Datetime("us")), source_tz)
    if dtype.is_numeric():
        return epoch_to_utc(raw)
    text = raw.cast(pl.String).str.strip_chars()
    if layout and not fmt:
        return _parse_layout(text, layout, source_tz)
    if fmt:
        parsed = text.str.to_datetime(fmt, strict=False, time_unit="us")
        if "%z" in fmt or "%:z" in fmt or "%#z" in fmt:
            return parsed.dt.convert_time_zone("UTC")
        return to_utc_from_local(parsed, source_tz)
    iso = text.str.replace("T", " ", literal=True).str.replace(r"(?i)z$", "+00:00")
    aware = [iso.str.to_datetime(f, strict=False, time_unit="us") for f in _AWARE_FORMATS]
    naive = [iso.str.to_datetime(f, strict=False, time_unit="us") for f in _NAIVE_FORMATS]
    naive.append(iso.str.to_date("%Y-%m-%d", strict=False).cast(pl.Datetime("us")))
    epoch = pl.when(text.str.contains(_EPOCH_TEXT)).then(
        epoch_to_utc(text.cast(pl.Float64, strict=False))
    )
    return pl.coalesce(
        *(a.dt.convert_time_zone("UTC") for a in aware),
        to_utc_from_local(pl.coalesce(*naive), source_tz),
        epoch,
    )


def parse_number(raw: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """A float from numbers or text; decimal commas (`"104,40"`) and thousands commas accepted."""
    if dtype.is_numeric():
        return raw.cast(pl.Float64)
    text = raw.cast(pl.String).str.strip_chars()
    text = text.str.replace(r"^(-?\d+),(\d{1,2})$", "${1}.${2}").str.replace_all(",", "")
    return text.cast(pl.Float64, strict=False)


def parse_boolean(raw: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    if dtype == pl.Boolean:
        return raw
    if dtype.is_numeric():
        return raw != 0
    text = raw.cast(pl.String).str.strip_chars().str.to_lowercase()
    return (
        pl.when(text.is_in(["true", "t", "yes", "y", "1"]))
        .then(pl.lit(True))
        .when(text.is_in(["false", "f", "no", "n", "0"]))
        .then(pl.lit(False))
    )


def convert(
    raw: pl.Expr,
    kind: Kind,
    dtype: pl.DataType,
    fmt: str | None,
    tz: str,
    layout: str | None = None,
) -> pl.Expr:
    """The canonical value of one column; null where a present value cannot be converted."""
    if kind == "datetime":
        return parse_timestamp(raw, dtype, fmt, tz, layout)
    if kind == "number":
        return parse_number(raw, dtype)
    if kind == "integer":
        return parse_number(raw, dtype).round(0).cast(pl.Int64)
    if kind == "boolean":
        return parse_boolean(raw, dtype)
    if kind == "string":
        return raw.cast(pl.String)
    return raw
