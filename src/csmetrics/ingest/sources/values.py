"""Value conversions from whatever an export holds to the canonical column types (data.md).

Every function returns null where a present value cannot be read; loading flags those rows as
invalid and `check_quality` turns them into an input error that shows the value. Nothing here
rounds, guesses or drops a value silently.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time

import polars as pl

from csmetrics.core.timeparts import TIMESTAMP_DTYPE, UTC
from csmetrics.ingest.sources.schema import Kind

# Day and month in either order (`08-04-2023 20:52`): ambiguous without an explicit format.
AMBIGUOUS_DATE = r"^\s*\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}"
# Epoch numbers outside these years are more likely a unit or column mix-up than a real time.
EPOCH_MIN = datetime(2000, 1, 1, tzinfo=UTC)
EPOCH_END = datetime(2101, 1, 1, tzinfo=UTC)
# A zone abbreviation after the time ("... MSK", "... EST"): ambiguous, never guessed.
ZONE_ABBREVIATION = r"\d\s*([A-Za-z]{2,5})\s*$"
EXPECTED_TIMESTAMP = (
    "ISO 8601 (2026-11-02T09:15:00Z, 2026-11-02 09:15:00+01:00, 2026-11-02, 20261102), "
    "or Unix epoch seconds/milliseconds between 2000 and 2100"
)
# Money is exact: Decimal with six places (finer than any currency's minor unit), never float.
MONEY_DTYPE = pl.Decimal(38, 6)
MONEY_PLACES = 6
_EPOCH_TEXT = r"^-?\d+(\.\d+)?$"
_AWARE_FORMATS = ("%Y-%m-%d %H:%M:%S%.f%:z", "%Y-%m-%d %H:%M:%S%.f%z", "%Y-%m-%d %H:%M%:z")
_NAIVE_FORMATS = ("%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%d %H:%M")
# A number written with `.` as the decimal point (`,` groups thousands), or with `,` (`.`, a
# space or a narrow/no-break space groups thousands).
DOT_NUMBER = r"^[+-]?(\d{1,3}(,\d{3})+|\d*)(\.\d+)?([eE][+-]?\d+)?$"
GROUPING = ". \u00a0\u202f"  # thousands separators beside decimal commas
COMMA_NUMBER = rf"^[+-]?(\d{{1,3}}([{GROUPING}]\d{{3}})+|\d*)(,\d+)?$"
# Words a help desk writes for a rating: good/bad (Zendesk), and the states that mean "no rating".
GOOD_RATING, BAD_RATING = 5.0, 1.0
UNRATED_WORDS = ("offered", "not offered", "unoffered", "not_offered")


# A spreadsheet's or a database's "no date": Excel's day 0 and 1 (1899-12-30/31 or 1900-01-01,
# by the epoch it counts from) and MySQL's 0000-00-00, at midnight. No customer data is from
# those days; read as missing (and counted), never as a time.
ZERO_DATES = (date(1899, 12, 30), date(1899, 12, 31), date(1900, 1, 1))
ZERO_TEXT = "0000-00-00"


def zero_date_instants(source_tz: str) -> pl.Series:
    """The UTC instants of ZERO_DATES' midnights in `source_tz`, as the loaders read them."""
    naive = pl.Series([datetime.combine(d, time()) for d in ZERO_DATES])
    return pl.select(to_utc_from_local(pl.lit(naive), source_tz)).to_series()


def zero_date(converted: pl.Expr, raw: pl.Expr, dtype: pl.DataType, source_tz: str) -> pl.Expr:
    """Rows holding a zero date: the converted instant is one of ZERO_DATES' midnights (local
    to `source_tz`, as the conversion read them), or the text starts with 0000-00-00."""
    hit = converted.is_in(zero_date_instants(source_tz).implode())
    if dtype == pl.String:
        hit = hit | raw.str.starts_with(ZERO_TEXT)
    return hit.fill_null(False)


def to_utc_from_local(naive: pl.Expr, source_tz: str) -> pl.Expr:
    """Naive wall-clock datetimes in `source_tz` to UTC instants."""
    naive = naive.cast(pl.Datetime("us"))
    if source_tz == "UTC":
        return naive.dt.replace_time_zone("UTC")
    local = naive.dt.replace_time_zone(source_tz, ambiguous="earliest", non_existent="null")
    return local.dt.convert_time_zone("UTC")


def epoch_to_utc(number: pl.Expr, source_tz: str = "UTC") -> pl.Expr:
    """Unix epoch numbers to UTC: magnitude decides seconds, milliseconds or microseconds.

    An 8-digit whole number is a `YYYYMMDD` date (as a local midnight), never epoch seconds of
    1970. Any other value that lands before 2000 or after 2100 is unreadable (null).
    """
    value = number.cast(pl.Float64)
    size = value.abs()
    is_date = (size >= 1e7) & (size < 1e8) & (value == value.floor())
    # strict=False: a number past what an Int64 holds (1e23, inf) is unreadable, read as null
    as_date = value.cast(pl.Int64, strict=False).cast(pl.String).str.to_date("%Y%m%d", strict=False)
    micros = (
        pl.when(size >= 1e14)
        .then(value)
        .when(size >= 1e11)
        .then(value * 1e3)
        .otherwise(value * 1e6)
    )
    whole = micros.round(0).cast(pl.Int64, strict=False)
    instant = pl.from_epoch(whole, time_unit="us").dt.replace_time_zone("UTC")
    plausible = pl.when(instant.is_between(EPOCH_MIN, EPOCH_END, closed="left")).then(instant)
    return pl.when(is_date).then(to_utc_from_local(as_date, source_tz)).otherwise(plausible)


# Layouts one strptime call reads. `detect_layout` picks one from a sample so that a large CSV
# is parsed once, not tried against every ISO form (5x slower: each form parses the column).
EPOCH = "epoch"
_LAYOUTS: dict[str, str] = {
    "%Y-%m-%dT%H:%M:%SZ": "utc",
    "%Y-%m-%dT%H:%M:%S%.fZ": "utc",
    "%Y-%m-%d %H:%M:%SZ": "utc",
    "%Y-%m-%d %H:%M:%S UTC": "utc",
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
        return epoch_to_utc(text.cast(pl.Float64, strict=False), source_tz)
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
        return epoch_to_utc(raw, source_tz)
    text = raw.cast(pl.String).str.strip_chars()
    if layout and not fmt:
        return _parse_layout(text, layout, source_tz)
    if fmt:
        parsed = text.str.to_datetime(fmt, strict=False, time_unit="us")
        if "%z" in fmt or "%:z" in fmt or "%#z" in fmt:
            return parsed.dt.convert_time_zone("UTC")
        return to_utc_from_local(parsed, source_tz)
    iso = (
        # a trailing Z, UTC or GMT (REES46: "2019-10-01 00:00:00 UTC") is +00:00, and an
        # hour-only offset (+00, -05) gets its minutes; before the T goes, as UTC holds one
        text.str.replace(r"(?i)\s*(z|utc|gmt)$", "+00:00")
        .str.replace(r"(\d\d:\d\d(:\d\d(\.\d+)?)?)([+-]\d\d)$", "${1}${4}:00")
        .str.replace("T", " ", literal=True)
    )
    aware = [iso.str.to_datetime(f, strict=False, time_unit="us") for f in _AWARE_FORMATS]
    naive = [iso.str.to_datetime(f, strict=False, time_unit="us") for f in _NAIVE_FORMATS]
    naive.append(iso.str.to_date("%Y-%m-%d", strict=False).cast(pl.Datetime("us")))
    epoch = pl.when(text.str.contains(_EPOCH_TEXT)).then(
        epoch_to_utc(text.cast(pl.Float64, strict=False), source_tz)
    )
    return pl.coalesce(
        *(a.dt.convert_time_zone("UTC") for a in aware),
        to_utc_from_local(pl.coalesce(*naive), source_tz),
        epoch,
    )


def number_text(raw: pl.Expr, decimal: str | None) -> pl.Expr:
    """Numeric text rewritten with `.` as the decimal point and no grouping; null when unreadable.

    `decimal` is the mapping's `decimal` setting. Without it the column decides: when every
    value reads with decimal points it is read that way (so `1,234` is a thousand), else when
    every value reads with decimal commas (`1.234,56`, `104,40`) that way; a column mixing the two
    reads as null everywhere, so loading reports it instead of guessing row by row.
    """
    text = raw.cast(pl.String).str.strip_chars()
    has_digit = text.str.contains(r"\d")
    dot_fits = has_digit & text.str.contains(DOT_NUMBER)
    comma_fits = has_digit & text.str.contains(COMMA_NUMBER)
    as_dot = text.str.replace_all(",", "", literal=True)
    as_comma = text.str.replace_all(f"[{GROUPING}]", "").str.replace(",", ".", literal=True)
    if decimal == ".":
        return pl.when(dot_fits).then(as_dot)
    if decimal == ",":
        return pl.when(comma_fits).then(as_comma)
    # a value that fits neither convention ($49.00, NaN) is unreadable on its own row; it does
    # not make the column's readable values ambiguous
    neither = ~(dot_fits | comma_fits)
    every_dot = (dot_fits | text.is_null() | neither).all()
    every_comma = (comma_fits | text.is_null() | neither).all()
    return pl.when(every_dot & dot_fits).then(as_dot).when(every_comma & comma_fits).then(as_comma)


def parse_number(raw: pl.Expr, dtype: pl.DataType, decimal: str | None = None) -> pl.Expr:
    """A float from numbers or numeric text (see `number_text` for decimal commas)."""
    if dtype.is_numeric():
        return raw.cast(pl.Float64)
    return number_text(raw, decimal).cast(pl.Float64, strict=False)


# A help desk's duration written as a clock: Freshdesk's `First response time (in hrs)` is
# `05:12:30` (hours may pass 24: `125:03:10`); `H:MM` without seconds too.
CLOCK_DURATION = r"^\s*(\d+):([0-5]\d)(?::([0-5]\d(?:\.\d+)?))?\s*$"


def number_problem(text: str) -> str | None:
    """Why a number's text cannot be read, in words, with the fix; None when no rule knows."""
    stripped = text.strip()
    if re.search(r"[$€£¥₹₩₫]|\b[A-Z]{3}\b", stripped):
        return (
            "a currency sign or code in the number; write the amount alone (49.00) and the "
            "currency in its own column"
        )
    if stripped.lower().lstrip("+-") in ("nan", "inf", "infinity"):
        return "not a finite number; leave the cell empty when there is no value"
    if re.fullmatch(r"\(\s*[\d.,]+\s*\)", stripped):
        return "an accounting negative in parentheses; write it with a minus sign (-49.00)"
    if re.fullmatch(r"[+-]?\d+(\s+\d+)*[.,]?\s*\d*", stripped) and " " in stripped:
        return "spaces inside the number; remove them"
    return None


def parse_minutes(
    raw: pl.Expr, dtype: pl.DataType, decimal: str | None = None, number_minutes: float = 1.0
) -> pl.Expr:
    """A duration in minutes: `H:MM[:SS]` text as a clock duration; a plain number times
    `number_minutes` (1 for a column of minutes, 60 for one of hours)."""
    if dtype.is_numeric():
        return raw.cast(pl.Float64) * number_minutes
    text = raw.cast(pl.String)
    parts = text.str.extract_groups(CLOCK_DURATION)
    hours, minutes, seconds = (parts.struct.field(str(i)).cast(pl.Float64) for i in (1, 2, 3))
    clock = hours * 60 + minutes + seconds.fill_null(0) / 60
    number = parse_number(pl.when(hours.is_null()).then(text), dtype, decimal) * number_minutes
    return pl.when(hours.is_not_null()).then(clock).otherwise(number)


def parse_integer(raw: pl.Expr, dtype: pl.DataType, decimal: str | None = None) -> pl.Expr:
    """A whole number; a fraction (`2.7`) is unreadable, never rounded."""
    if dtype.is_integer():
        return raw.cast(pl.Int64)
    number = parse_number(raw, dtype, decimal)
    return pl.when(number == number.floor()).then(number.cast(pl.Int64))


def parse_money(
    raw: pl.Expr, dtype: pl.DataType, decimal: str | None = None, cents: bool = False
) -> pl.Expr:
    """An exact Decimal amount in currency units (`cents`: the export holds minor units)."""
    if dtype.is_numeric() or isinstance(dtype, pl.Decimal):
        value = raw.cast(MONEY_DTYPE)
    else:
        text = number_text(raw, decimal)
        too_fine = text.str.contains(rf"\.\d{{{MONEY_PLACES + 1},}}")  # would be truncated
        readable = text.str.contains(r"^[+-]?\d*(\.\d+)?$")  # no exponent: exact digits only
        value = pl.when(readable & ~too_fine).then(text).cast(MONEY_DTYPE, strict=False)
    return (value / 100).cast(MONEY_DTYPE) if cents else value


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


def parse_rating(raw: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """A ticket's satisfaction on the 1-5 scale: numbers as they are, `good`/`bad` (any case,
    also `good_with_comment`) as 5/1, and the states that mean "not rated" (offered, unoffered)
    as null. Other words are null too; `rating_rules` counts them in a warning."""
    if dtype.is_numeric():
        return raw.cast(pl.Float64)
    text = raw.cast(pl.String).str.strip_chars().str.to_lowercase()
    return (
        pl.when(text.str.starts_with("good"))
        .then(pl.lit(GOOD_RATING))
        .when(text.str.starts_with("bad"))
        .then(pl.lit(BAD_RATING))
        .otherwise(text.cast(pl.Float64, strict=False))
    )


def convert(
    raw: pl.Expr,
    kind: Kind,
    dtype: pl.DataType,
    fmt: str | None,
    tz: str,
    layout: str | None = None,
    decimal: str | None = None,
    cents: bool = False,
    number_minutes: float = 1.0,
) -> pl.Expr:
    """The canonical value of one column; null where a present value cannot be converted."""
    if kind == "datetime":
        return parse_timestamp(raw, dtype, fmt, tz, layout)
    if kind == "number":
        return parse_number(raw, dtype, decimal)
    if kind == "minutes":
        return parse_minutes(raw, dtype, decimal, number_minutes)
    if kind == "money":
        return parse_money(raw, dtype, decimal, cents)
    if kind == "integer":
        return parse_integer(raw, dtype, decimal)
    if kind == "boolean":
        return parse_boolean(raw, dtype)
    if kind == "rating":
        return parse_rating(raw, dtype)
    return raw.cast(pl.String)


# What each kind of canonical column can be read from, besides text (sources/canonical.py
# refuses anything else: a boolean `amount` would read as null everywhere, every row dropped)
_READABLE = {
    "datetime": lambda t: t.is_numeric() or isinstance(t, pl.Datetime | pl.Date),
    "number": lambda t: t.is_numeric(),
    "minutes": lambda t: t.is_numeric(),
    "money": lambda t: t.is_numeric(),
    "integer": lambda t: t.is_numeric(),
    "rating": lambda t: t.is_numeric(),
    "boolean": lambda t: t == pl.Boolean or t.is_integer(),
    "string": lambda t: not isinstance(t, pl.List | pl.Struct | pl.Array | pl.Object),
}
KIND_WORDS = {
    "datetime": "a time (text, epoch numbers, a timestamp or a date)",
    "number": "a number",
    "minutes": "a duration (a number, or H:MM:SS text)",
    "money": "an amount (a number or numeric text)",
    "integer": "a whole number",
    "rating": "a rating (a number, or good/bad)",
    "boolean": "true/false (a boolean, 1/0 or text)",
    "string": "text or a number",
}


def unreadable_type(kind: str, dtype: pl.DataType) -> str | None:
    """What a column of `dtype` cannot be read as `kind` for (None: it can)."""
    if dtype == pl.String or dtype == pl.Null or _READABLE[kind](dtype):
        return None
    return KIND_WORDS[kind]
