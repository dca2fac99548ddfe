"""Computing on loaded inputs: any family by name, every family at once (`report`), and the
thresholds of `check`. One rule for settings and the window, whoever calls: what is given
explicitly (None: not given) over the config the inputs were loaded with over the defaults."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any, TypedDict, Unpack

from csmetrics.core.errors import ConfigError, InputError
from csmetrics.core.window import WindowSpec, build_window, window_settings
from csmetrics.families.across import build_bundle, family_params, run_checks
from csmetrics.families.anomalies import AnomalySettings
from csmetrics.families.base import Family
from csmetrics.families.catalogue import FAMILIES, METRICS
from csmetrics.families.coverage import outside_data
from csmetrics.families.history import HISTORY_WINDOWS
from csmetrics.families.runner import compute
from csmetrics.ingest.config import REPORT_TABLES, Config
from csmetrics.ingest.inputs import Inputs
from csmetrics.results.bands import THRESHOLD
from csmetrics.results.bundle import Bundle
from csmetrics.results.checks import Check, Outcome, parse_checks
from csmetrics.results.report import Report


class WindowArgs(TypedDict, total=False):
    """The window, in the command line's words: `period` ("last-week", "2026-10", "2026-Q3",
    ...) or `since`/`until` (dates or ISO datetimes, as text or as `datetime.date`/`datetime`
    objects, a naive one in `timezone`; `until` exclusive), `as_of` (the "now" of
    relative periods), `timezone` (IANA, of calendar buckets), `week_start` (monday or sunday),
    `grain` (day, week or month). Without bounds the data's observed range is the window."""

    period: str | None
    since: str | date | None
    until: str | date | None
    as_of: str | date | None
    timezone: str
    week_start: str
    grain: str


def window_of(**window: Unpack[WindowArgs]) -> WindowSpec:
    """The window from the same words as the command line's options (see WindowArgs)."""
    return build_window(**window)


def compute_family(
    family: Family[Any] | str,
    inputs: Inputs,
    given: Mapping[str, Any] | None = None,
    window: Mapping[str, Any] | None = None,
) -> Report:
    """A family's report (`family`: its name or declaration): its settings `given` (None: not
    given) over the config the inputs were loaded with, on the window the given and the
    config's window settings make. `cm.compute("engagement", inputs, {"session_gap": "10m"},
    {"period": "2026-10"})` is `cm.engagement(inputs, session_gap="10m", period="2026-10")`."""
    chosen = family if isinstance(family, Family) else family_named(family)
    config = inputs.config or Config()
    words = window_settings(config.settings, window or {})
    params = chosen.params(config.family, config.base, given, words)
    return compute(chosen, inputs, build_window(**words), params)


def family_named(name: str) -> Family[Any]:
    """A family's declaration by name; a config error naming the families there are."""
    if name not in FAMILIES:
        raise ConfigError(f"unknown family {name!r} (known: {', '.join(FAMILIES)})")
    return FAMILIES[name]


def report(
    inputs: Inputs,
    *,
    params: Mapping[str, Mapping[str, Any]] | None = None,
    on_family: Callable[[str], None] | None = None,
    on_report: Callable[[Report], None] | None = None,
    explain_by: str | Iterable[str] | None = None,
    anomaly_bands: bool | None = None,
    anomaly_threshold: float | None = None,
    anomaly_windows: int | None = None,
    **window: Unpack[WindowArgs],
) -> Bundle:
    """Every family the loaded sources allow, for the window and the previous window of equal
    length (the previous whole months for a window of whole months). `params` holds each
    family's settings as in its config table (`{"support": {"sla_first_response": "4h"}}`).
    `bundle.write(folder)` writes the dated bundle atomically. `on_family(name)` is called as
    each family starts (a progress bar's hook); `on_report(report)` with each family's report
    of the window as soon as it is computed, before its previous window (the HTML page's
    charts are drawn from it while the rest is computed).

    Each headline gets an anomaly band from its values over the `anomaly_windows` (8 to 12,
    default 12) earlier windows: flagged beyond `anomaly_threshold` robust z units (default 3);
    the flagged ones are split by the `explain_by` columns ("What moved"); `anomaly_bands`
    False skips them. Not given, the config's [anomaly] and [explain] tables apply."""
    config = inputs.config or Config()
    words = window_settings(config.settings, window)
    chosen = _family_params(inputs, params, words)
    bands = (
        anomaly_bands
        if anomaly_bands is not None
        else config.tables.get("anomaly", {}).get("bands", True)
    )
    anomaly = (
        anomaly_settings(config, explain_by, anomaly_threshold, anomaly_windows) if bands else None
    )
    return build_bundle(inputs, build_window(**words), chosen, on_family, on_report, anomaly)


def anomaly_settings(
    config: Config,
    explain_by: str | Iterable[str] | None = None,
    threshold: float | None = None,
    windows: int | None = None,
    metrics: Iterable[str] | None = None,
) -> AnomalySettings:
    """The bands' settings: the values given over the config's [anomaly] and [explain] tables
    over the defaults; each read as the config's would be."""
    table = config.tables.get("anomaly", {})
    given_by = [explain_by] if isinstance(explain_by, str) else explain_by
    by = given_by if given_by is not None else config.tables.get("explain", {}).get("by", ())
    chosen_windows = windows if windows is not None else table.get("windows", HISTORY_WINDOWS)
    chosen_threshold = threshold if threshold is not None else table.get("threshold", THRESHOLD)
    return AnomalySettings(
        windows=REPORT_TABLES["anomaly"]["windows"](chosen_windows, "anomaly_windows"),
        threshold=REPORT_TABLES["anomaly"]["threshold"](chosen_threshold, "anomaly_threshold"),
        explain_by=tuple(str(column) for column in by),
        metrics=None if metrics is None else set(metrics),
        moved=metrics is None,
    )


def check(
    inputs: Inputs,
    checks: Iterable[Mapping[str, Any]] | None = None,
    *,
    params: Mapping[str, Mapping[str, Any]] | None = None,
    on_family: Callable[[str], None] | None = None,
    allow_stale: bool | None = None,
    **window: Unpack[WindowArgs],
) -> list[Outcome]:
    """Evaluate thresholds (`[[checks]]`-style entries: metric, min, max, warn_min, warn_max,
    max_increase_pct, max_decrease_pct, by, allow_missing, name; default: the [[checks]] of
    the config the inputs were loaded with) on a report of the window; `exit_code(outcomes)`
    is 1 when any failed. A window outside a checked family's data (it ends before the window
    starts, or starts after it ends) is an InputError, since every check would judge zeros,
    unless `allow_stale` (default: the config's `allow_stale`, else False)."""
    config = inputs.config or Config()
    parsed = checks_of(config) if checks is None else _parsed(list(checks), "[[checks]]")
    words = window_settings((inputs.config or Config()).settings, window)
    chosen = _family_params(inputs, params, words)
    banded = [c.metric for c in parsed if "max_deviation" in c.limits]
    anomaly = anomaly_settings(config, metrics=banded) if banded else None
    bundle = build_bundle(inputs, build_window(**words), chosen, on_family, anomaly=anomaly)
    stale_ok = config.setting("allow_stale", False) if allow_stale is None else allow_stale
    if not stale_ok:
        _refuse_stale(bundle, {c.metric.split(".", 1)[0] for c in parsed})
    return run_checks(parsed, bundle, inputs, chosen)


def _refuse_stale(bundle: Bundle, checked: set[str]) -> None:
    """An input error when a checked family's window lies outside its data."""
    for name in sorted(checked & set(bundle.current)):
        stale = outside_data(bundle.current[name].warnings)
        if stale is not None:
            raise InputError(
                f"check: {name}: {stale.message.split(': every count')[0]}; every check would "
                "judge zeros. Pass --as-of or a window inside the data, or set allow_stale = "
                "true (--allow-stale) to check anyway"
            )


def checks_of(config: Config) -> list[Check]:
    """The config's [[checks]], parsed: a config error names an unknown key or metric (with
    the closest ids), a check without a limit, or a config without checks."""
    return _parsed(config.checks, f"{config.path}: [[checks]]" if config.path else "[[checks]]")


def _parsed(entries: list[Any], where: str) -> list[Check]:
    parsed = parse_checks(entries, [m.id for m in METRICS], where)
    if not parsed:
        raise ConfigError(f"{where}: no checks configured")
    return parsed


def _family_params(
    inputs: Inputs, params: Mapping[str, Mapping[str, Any]] | None, window: Mapping[str, Any]
) -> dict[str, Any]:
    """Every family's parameters: `params` (settings as a config table holds them) over the
    tables of the config the inputs were loaded with."""
    config = inputs.config or Config()
    given = params or {}

    def table_of(name: str) -> dict[str, Any]:
        return {**config.family(name), **given.get(name, {})}

    return family_params(table_of, config.base, window)
