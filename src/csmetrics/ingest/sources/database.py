"""SQL databases as sources: a PostgreSQL table or query (`postgresql://USER@HOST/DB?table=
tickets`, or `[sources.tickets] uri = "..."` with `table` or `query`), a DuckDB or SQLite
database file (`support.duckdb?table=tickets`). Read as Arrow (ADBC's libpq driver for
PostgreSQL, ConnectorX for SQLite, DuckDB's own reader for DuckDB), never row by row; only the
columns the run maps are fetched, and the SQL sent is logged (`--verbose`). Credentials come from the URI, the
environment (PGPASSWORD, PGUSER) or a .pgpass file (PGPASSFILE, else ~/.pgpass); a password is
never printed."""

from __future__ import annotations

import getpass
import logging
import os
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import (
    SplitResult,
    parse_qsl,
    quote,
    unquote,
    urlencode,
    urlsplit,
    urlunsplit,
)

import polars as pl

from csmetrics.core.errors import ConfigError, InputError
from csmetrics.ingest.sources.mapping import HeaderMap
from csmetrics.ingest.sources.messy import normalised
from csmetrics.ingest.sources.schema import DEDUP_COLUMN, SCHEMAS
from csmetrics.ingest.sources.spec import SourceSpec, redacted

log = logging.getLogger("csmetrics")

Engine = Literal["postgresql", "sqlite", "duckdb"]
SCHEMES: dict[str, Engine] = {"postgresql": "postgresql", "postgres": "postgresql"}
FILE_ENGINES: dict[str, Engine] = {
    ".duckdb": "duckdb",
    ".ddb": "duckdb",
    ".sqlite": "sqlite",
    ".sqlite3": "sqlite",
    ".db": "sqlite",
}
PG_PORT = 5432
CONNECT_TIMEOUT = "10"  # seconds, libpq's connect_timeout unless the URI gives one


@dataclass(frozen=True)
class Database:
    engine: Engine
    address: str  # what the driver connects to (a password in it, when one is known)
    shown: str  # the same without any password: what errors and reports say
    table: str | None
    query: str | None

    @property
    def relation(self) -> str:
        """The FROM clause: the quoted table, or the query as a subquery."""
        if self.query is not None:
            return f"({self.query.strip().rstrip(';')}) AS source"
        assert self.table is not None
        return ".".join(quoted(part) for part in self.table.split("."))

    @property
    def what(self) -> str:
        return f"table {self.table}" if self.table else "query"


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def database_of(spec: SourceSpec) -> Database | None:
    """The database a source names (its path a PostgreSQL URI or a database file), else None."""
    text = spec.path
    if not text:
        return None
    parts = urlsplit(text)
    engine = SCHEMES.get(parts.scheme.lower())
    file_engine = FILE_ENGINES.get(Path(text.split("?", 1)[0]).suffix.lower())
    if engine is None and file_engine is None:
        return None
    params = dict(parse_qsl(parts.query, keep_blank_values=True))
    table = spec.table or params.pop("table", None)
    query = spec.query or params.pop("query", None)
    if (table is None) == (query is None):
        raise ConfigError(
            f"{spec.kind}: {redacted(text)}: name a table (?table=NAME, or table = in the config) "
            "or a query (query = in the config), one of the two"
        )
    if engine is None:
        assert file_engine is not None
        path = Path(text.split("?", 1)[0])
        if not path.is_file():
            raise InputError(f"{spec.kind}: {path}: no such database file")
        return Database(file_engine, str(path.resolve()), str(path), table, query)
    params.setdefault("connect_timeout", CONNECT_TIMEOUT)  # a host that never answers
    address = _with_credentials(parts._replace(query=urlencode(params)))
    return Database(engine, address, redacted(address), table, query)


def _with_credentials(parts: SplitResult) -> str:
    """The URI with a user (PGUSER, else the login name) and, when it has none, the password
    of PGPASSWORD or of the .pgpass line matching it."""
    user = unquote(parts.username or "") or os.environ.get("PGUSER") or getpass.getuser()
    host, port = parts.hostname or "localhost", parts.port or PG_PORT
    database = parts.path.lstrip("/") or user
    password = parts.password
    if password is None:
        password = os.environ.get("PGPASSWORD") or pgpass_password(host, port, database, user)
    secret = f":{quote(unquote(password), safe='')}" if password else ""
    netloc = f"{quote(user, safe='')}{secret}@{host}:{port}"
    return urlunsplit(("postgresql", netloc, f"/{database}", parts.query, ""))


def pgpass_password(host: str, port: int, database: str, user: str) -> str | None:
    """The password of the first .pgpass line matching (libpq's rules: fields host:port:db:
    user:password, `*` matches anything, `\\:` and `\\\\` escape)."""
    path = Path(os.environ.get("PGPASSFILE") or Path.home() / ".pgpass")
    try:
        lines = path.read_text().splitlines()
    except OSError:
        return None
    wanted = (host, str(port), database, user)
    for line in lines:
        if not line.strip() or line.startswith("#"):
            continue
        fields = _pgpass_fields(line)
        if len(fields) == 5 and all(f in ("*", w) for f, w in zip(fields, wanted, strict=False)):
            return fields[4]
    return None


def _pgpass_fields(line: str) -> list[str]:
    fields: list[str] = []
    current, escaped = "", False
    for char in line:
        if escaped:
            current, escaped = current + char, False
        elif char == "\\":
            escaped = True
        elif char == ":" and len(fields) < 4:
            fields, current = [*fields, current], ""
        else:
            current += char
    return [*fields, current]


def mappable(
    spec: SourceSpec, layout: HeaderMap, needed: Iterable[str] | None
) -> Callable[[Collection[str]], list[str]]:
    """A picker of the relation's columns whose names can map to a canonical column the run
    asks for (all when `needed` is None), a required one or the repeated-row key: the same
    candidate headers the file reader looks for (`layout`), presets included."""
    schema = SCHEMAS[spec.kind]
    asked = set(schema) if needed is None else set(needed)
    asked |= {name for name, column in schema.items() if column.required}
    key = DEDUP_COLUMN.get(spec.kind)
    asked |= {key} if key else set()
    headers = {normalised(c) for name, (cs, _) in layout.items() if name in asked for c in cs}
    return lambda names: [name for name in names if normalised(name) in headers]


def scan_database(
    spec: SourceSpec, db: Database, wanted: Callable[[Collection[str]], list[str]]
) -> pl.LazyFrame:
    """The columns `wanted` picks (from the relation's column names), with no rows yet: their
    names and types, to map them before the rows are fetched (`fetch_rows`)."""
    empty = _fetch(spec, db, f"SELECT * FROM {db.relation} LIMIT 0")
    return empty.select(wanted(empty.columns) or empty.columns[:1]).lazy()


def fetch_rows(
    spec: SourceSpec, db: Database, columns: Iterable[str], where: str | None = None
) -> pl.LazyFrame:
    """The rows of the table or query (those `where` keeps), `columns` only."""
    sql = f"SELECT {', '.join(quoted(c) for c in columns)} FROM {db.relation}"
    sql += f" WHERE {where}" if where else ""
    log.info("%s: SQL sent to %s: %s", spec.kind, db.shown, sql)
    return _fetch(spec, db, sql).lazy()


def time_range(spec: SourceSpec, db: Database, column: str) -> tuple[Any, Any]:
    """The least and greatest value of a column over the whole table or query."""
    sql = f"SELECT MIN({quoted(column)}) AS low, MAX({quoted(column)}) AS high FROM {db.relation}"
    log.info("%s: SQL sent to %s: %s", spec.kind, db.shown, sql)
    low, high = _fetch(spec, db, sql).row(0)
    return low, high


def _fetch(spec: SourceSpec, db: Database, sql: str) -> pl.DataFrame:
    try:
        if db.engine == "duckdb":
            import duckdb

            with duckdb.connect(db.address, read_only=True) as connection:
                return connection.sql(sql).pl()  # through Arrow
        elif db.engine == "postgresql":
            table = _postgresql(db.address, sql)
        else:
            import connectorx

            table = connectorx.read_sql(f"sqlite://{db.address}", sql, return_type="arrow")
    except ImportError as exc:
        raise ConfigError(
            f"{spec.kind}: reading a database needs pip install 'csmetrics[sql]' ({exc.name})"
        ) from exc
    except Exception as exc:  # each driver raises its own types; the first line says why
        raise InputError(f"{spec.kind}: {db.shown} ({db.what}): {_reason(exc, db)}") from exc
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    return frame


def _postgresql(address: str, sql: str) -> Any:
    """The query's rows as an Arrow table, through ADBC's libpq driver: one connection, never
    retried (ConnectorX's pool retried a refused connection or a wrong password for 30 s, and
    a server may lock an account after so many failed logins). Its low-level API: the DB-API
    layer imports pandas, a second more of every run."""
    import adbc_driver_manager as manager
    import adbc_driver_postgresql
    import pyarrow as pa

    with (
        adbc_driver_postgresql.connect(address) as database,
        manager.AdbcConnection(database) as connection,
        manager.AdbcStatement(connection) as statement,
    ):
        statement.set_sql_query(sql)
        stream, _ = statement.execute_query()
        return pa.RecordBatchReader.from_stream(stream).read_all()


def _reason(exc: BaseException, db: Database) -> str:
    text = str(exc).strip().splitlines()[0][:300] if str(exc).strip() else type(exc).__name__
    secret = urlsplit(db.address).password
    return text.replace(unquote(secret), "***") if secret else text
