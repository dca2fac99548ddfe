"""csmetrics.toml (or `[tool.csmetrics]` in pyproject.toml): finding, reading, validating, merging.

Precedence: command-line options > the config file > built-in defaults. Relative paths in a config
are relative to the config file's folder.
"""

from __future__ import annotations

import codecs
import difflib
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from csmetrics.core.errors import ConfigError
from csmetrics.core.readers import (
    Reader,
    boolean,
    choice,
    moment,
    positive_number,
    strict_text,
    text_table,
    texts,
    whole_number,
    zone_name,
)
from csmetrics.ingest.sources.files import FORMATS
from csmetrics.ingest.sources.presets import PRESETS
from csmetrics.ingest.sources.rules import SURVEY_SCALES
from csmetrics.ingest.sources.schema import SOURCE_KINDS
from csmetrics.ingest.sources.spec import SourceSpec

# The config's schema: each top-level key and each source key with its reader
# (core/readers.py); a value of the wrong type or out of range is a ConfigError naming the file,
# the key and what is expected, before anything is read.
TOP_LEVEL: dict[str, Reader] = {
    "timezone": zone_name,
    "source_timezone": zone_name,
    "week_start": choice("monday", "sunday"),
    "grain": choice("day", "week", "month"),
    "period": strict_text,
    "since": moment,
    "until": moment,
    "as_of": moment,
    "allow_stale": boolean,  # check: judge a window outside the data (families/coverage.py)
}
SETTINGS = tuple(TOP_LEVEL)
FAMILY_TABLES = (
    "onboarding",
    "engagement",
    "retention",
    "support",
    "voice",
    "revenue",
    "health",
    "report",
)
# tables of whole-report settings, each key with its reader
REPORT_TABLES: dict[str, dict[str, Reader]] = {
    # what `report`'s "What moved" splits a flagged headline by (explain)
    "explain": {"by": texts},
    # anomaly bands (metrics.md): the earlier windows read and the robust z beyond which a
    # headline is flagged
    "anomaly": {"bands": boolean, "windows": whole_number(8, 12), "threshold": positive_number},
}
SOURCE_READERS: dict[str, Reader] = {
    "path": strict_text,
    # a database (sources/database.py): a PostgreSQL URI (or a database file as `path`), and
    # its table or a query
    "uri": strict_text,
    "table": strict_text,
    "query": strict_text,
    # a lakehouse table's version to read: a Delta version or an Iceberg snapshot id
    # (sources/lake.py; PATH@VERSION says the same)
    "version": whole_number(0),
    "preset": strict_text,
    "columns": text_table,
    "formats": text_table,
    "amount_unit": choice("units", "cents"),
    "encoding": strict_text,
    "format_in": choice(*FORMATS),
    "source_timezone": zone_name,
    "decimal": choice(".", ","),
    "null_values": texts,
    "survey": choice(*SURVEY_SCALES),
    "max_field_mb": positive_number,  # the longest line read (sources/bounds.py)
    # billing only: the files beside the lines (sources/billing_files.py)
    "invoices": strict_text,
    "payments": strict_text,
}
SOURCE_KEYS = tuple(SOURCE_READERS)
BILLING_PARTS = ("invoices", "payments")


@dataclass
class Config:
    path: Path | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)
    families: dict[str, dict[str, Any]] = field(default_factory=dict)
    checks: list[dict[str, Any]] = field(default_factory=list)
    engine: dict[str, Any] = field(default_factory=dict)  # [engine]: name, spark_master, ...
    # [explain] and [anomaly], their values read (REPORT_TABLES)
    tables: dict[str, dict[str, Any]] = field(default_factory=dict)

    def family(self, name: str) -> dict[str, Any]:
        return self.families.get(name, {})

    @property
    def base(self) -> str:
        """The folder that relative paths in the config are relative to."""
        return str(self.path.parent) if self.path else "."

    def setting(self, name: str, default: Any = None) -> Any:
        return self.settings.get(name, default)


def find_config(
    explicit: Path | None, cwd: Path | None = None
) -> tuple[Path, dict[str, Any]] | None:
    """The config file and its table: --config, else ./csmetrics.toml, else pyproject's table."""
    here = cwd or Path.cwd()
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"--config: {explicit}: no such file")
        return explicit, _read_toml(explicit)
    candidate = here / "csmetrics.toml"
    if candidate.is_file():
        return candidate, _read_toml(candidate)
    pyproject = here / "pyproject.toml"
    if pyproject.is_file():
        table = _read_toml(pyproject).get("tool", {}).get("csmetrics")
        if isinstance(table, dict):
            return pyproject, table
    return None


# a config is a page of settings; a file past this is not one (and is not read into memory)
CONFIG_BYTES_LIMIT = 4 * 1024 * 1024


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            raw = handle.read(CONFIG_BYTES_LIMIT + 1)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    if len(raw) > CONFIG_BYTES_LIMIT:
        raise ConfigError(f"{path}: over {CONFIG_BYTES_LIMIT // 2**20} MB: not a config file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigError(
            f"{path}: line {line}: byte 0x{raw[exc.start]:02x} is not UTF-8; TOML files are "
            "UTF-8: save the file as UTF-8"
        ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
    except RecursionError:  # tomllib nests a Python call per level of [[[...]]]
        raise ConfigError(f"{path}: invalid TOML: arrays or tables nested too deep") from None


def load_config(explicit: Path | None = None, cwd: Path | None = None) -> Config:
    found = find_config(explicit, cwd)
    if found is None:
        return Config()
    path, table = found
    return parse_config(table, path)


def parse_config(table: dict[str, Any], path: Path) -> Config:
    config = Config(path=path)
    for key, value in table.items():
        if key in TOP_LEVEL:
            config.settings[key] = TOP_LEVEL[key](value, f"{path}: {key}")
        elif key == "sources":
            config.sources = _parse_sources(value, path)
        elif key in FAMILY_TABLES:
            if not isinstance(value, dict):
                raise ConfigError(f"{path}: [{key}] must be a table")
            config.families[key] = value
        elif key == "engine":
            config.engine = _parse_engine(value, path)
        elif key in REPORT_TABLES:
            config.tables[key] = _parse_table(key, value, path)
        elif key == "checks":
            if not isinstance(value, list):
                raise ConfigError(f"{path}: checks must be an array of tables ([[checks]])")
            config.checks = value
        else:
            known = ", ".join(
                (*SETTINGS, "sources", *FAMILY_TABLES, *REPORT_TABLES, "checks", "engine")
            )
            raise ConfigError(f"{path}: unknown key {key!r} (known: {known})")
    return config


def _parse_table(name: str, value: Any, path: Path) -> dict[str, Any]:
    """A [explain] or [anomaly] table, each value read by its reader."""
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: [{name}] must be a table")
    readers = REPORT_TABLES[name]
    unknown = sorted(set(value) - set(readers))
    if unknown:
        raise ConfigError(
            f"{path}: [{name}]: unknown key {unknown[0]!r} (known: {', '.join(readers)})"
        )
    return {key: readers[key](item, f"{path}: [{name}] {key}") for key, item in value.items()}


ENGINE_KEYS = ("name", "spark_master", "spark_memory", "spark_remote")
ENGINES = ("polars", "spark")


def _parse_engine(value: Any, path: Path) -> dict[str, Any]:
    """[engine]: `name` (polars or spark), `spark_master` (a Spark master URL), `spark_memory`
    (driver memory of a local session, e.g. "4g"), `spark_remote` (a Spark Connect address,
    sc://host:15002)."""
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: [engine] must be a table")
    for key, item in value.items():
        if key not in ENGINE_KEYS:
            raise ConfigError(
                f"{path}: [engine]: unknown key {key!r} (known: {', '.join(ENGINE_KEYS)})"
            )
        if not isinstance(item, str):
            raise ConfigError(f"{path}: [engine] {key} must be a string, got {item!r}")
    if value.get("name") not in (None, *ENGINES):
        raise ConfigError(
            f"{path}: [engine] name: expected one of {', '.join(ENGINES)}, got {value['name']!r}"
        )
    return dict(value)


def _parse_sources(value: Any, path: Path) -> dict[str, dict[str, Any]]:
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: [sources] must be a table of sources")
    out: dict[str, dict[str, Any]] = {}
    for kind, source in value.items():
        if kind not in SOURCE_KINDS:
            raise ConfigError(
                f"{path}: [sources.{kind}]: unknown source (known: {', '.join(SOURCE_KINDS)})"
            )
        if not isinstance(source, dict):
            raise ConfigError(f"{path}: [sources.{kind}] must be a table")
        check_source_entry(kind, source, f"{path}: [sources.{kind}]")
        _check_names(kind, source, f"{path}: [sources.{kind}]")
        entry = dict(source)
        if "uri" in entry:  # a database's address is where the source is, as a path is
            if "path" in entry:
                raise ConfigError(f"{path}: [sources.{kind}]: give path or uri, not both")
            entry["path"] = entry.pop("uri")
        for key in ("path", *BILLING_PARTS):
            if key in entry:
                entry[key] = _relative_to(str(entry[key]), path.parent)
        out[kind] = entry
    return out


def _check_names(kind: str, entry: Mapping[str, Any], where: str) -> None:
    """A config's preset and encoding name something that exists (said with the config's key:
    the same names from the command line are checked where they are used, with the flag)."""
    preset = entry.get("preset")
    known = [name for name, found in PRESETS.items() if found.kind == kind]
    if preset is not None and preset != "auto" and preset not in known:
        close = difflib.get_close_matches(preset, known, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise ConfigError(
            f"{where} preset: unknown preset {preset!r} for {kind}{hint} (known: auto, "
            f"{', '.join(known)})"
        )
    encoding = entry.get("encoding")
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise ConfigError(
                f"{where} encoding: unknown encoding {encoding!r} (e.g. utf-8, cp1252, latin-1)"
            ) from None


def check_source_entry(kind: str, entry: Mapping[str, Any], where: str) -> None:
    """A ConfigError for an unknown key or a value of the wrong shape in a source's settings."""
    unknown = sorted(set(entry) - set(SOURCE_KEYS))
    if unknown:
        raise ConfigError(f"{where}: unknown key {unknown[0]!r} (known: {', '.join(SOURCE_KEYS)})")
    for key, value in entry.items():
        SOURCE_READERS[key](value, f"{where} {key}")
    for column, fmt in dict(entry.get("formats") or {}).items():
        if "%Z" in fmt:
            raise ConfigError(
                f"{where}: formats.{column} = {fmt!r}: %Z (a zone name such as MSK) is "
                "ambiguous and would be dropped, reading every zone as the same; write the "
                "values with UTC offsets and use %z, or drop the name and set source_timezone = "
                '"Europe/Moscow" (an IANA name)'
            )
    parts = [key for key in BILLING_PARTS if key in entry]
    if parts and kind != "billing":
        raise ConfigError(f"{where}: {parts[0]} is a key of [sources.billing] only")


def spec_from_entry(kind: str, entry: Mapping[str, Any], source_timezone: str) -> SourceSpec:
    """A SourceSpec from a source's settings (the config's [sources.KIND] keys)."""
    data, spark_data = entry.get("data"), entry.get("spark_data")
    return SourceSpec(
        kind=kind,
        path="" if data is not None or spark_data is not None else str(entry["path"]),
        format_in=entry.get("format_in"),
        preset=entry.get("preset"),
        columns={str(k): str(v) for k, v in entry.get("columns", {}).items()},
        formats={str(k): str(v) for k, v in entry.get("formats", {}).items()},
        amount_unit=entry.get("amount_unit"),
        encoding=entry.get("encoding"),
        source_timezone=str(entry.get("source_timezone") or source_timezone),
        decimal=entry.get("decimal"),
        null_values=tuple(map(str, entry.get("null_values", ()))),
        survey=entry.get("survey"),
        table=entry.get("table"),
        query=entry.get("query"),
        version=entry.get("version"),
        parts={key: str(entry[key]) for key in BILLING_PARTS if entry.get(key)},
        max_field_mb=entry.get("max_field_mb"),
        data=data,
        spark_data=spark_data,
    )


def _relative_to(text: str, base: Path) -> str:
    if "://" in text:  # a URI (s3a://, abfss://, hdfs://) is never relative
        return text
    candidate = Path(text).expanduser()
    return text if candidate.is_absolute() else (base / candidate).as_posix()
