"""What a family provides to the runner: its sources, the columns it reads, stages, a lazy plan
and an assembler.

A family's `plan` builds LazyFrames from canonical source frames (no I/O, nothing collected) for
a resolved window (both bounds set); the runner collects every planned frame in one
`pl.collect_all`, so shared inputs are computed once; `assemble` then turns the small collected
frames into metrics and tables.

A family whose outputs share costly intermediates (engagement's per-user timeline) declares
`stages`: each takes the frames the previous one made (the first, the sources) and returns new
ones, which the runner materialises once; `plan` then reads only what the last stage made (under
the names it gave them), so the sources' rows are freed before it runs. That is a lazy `cache()`
made explicit: a cache is split when its readers project different columns, and then recomputed.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import polars as pl

from csmetrics.core.declarations import Metric, Table
from csmetrics.core.diagnostics import DataWarning
from csmetrics.core.window import Observed, Window
from csmetrics.families.contract import FrameContract
from csmetrics.families.settings import Settings

if TYPE_CHECKING:
    from csmetrics.families.explainer import Explainer

P = TypeVar("P")
Frames = Mapping[str, pl.LazyFrame]
Columns = Mapping[str, tuple[str, ...]]


@dataclass(frozen=True)
class RunContext:
    """What `assemble` knows besides the collected frames."""

    window: Window
    observed: Mapping[str, Observed]  # source -> first, last timestamp
    columns: Columns  # source -> canonical columns present


@dataclass
class FamilyResult:
    metrics: dict[str, float | None]
    tables: dict[str, pl.DataFrame]
    warnings: list[DataWarning] = field(default_factory=list)
    currency: str | None = None  # ISO 4217 code of the money values, when there are any


@dataclass(frozen=True)
class Lookback:
    """The rows outside the window that a family reads, and what for (for the report's
    warnings): its primary source's rows from `start` on (None: from the first) are read, those
    before are not used; rows at or after `until` are not used unless `after` says what for."""

    start: datetime | None
    reason: str
    after: str | None = None
    # other sources whose rows before the window are read too -> what for; from the start in
    # `other_starts` when it has one, else every row before the window
    others: Mapping[str, str] = field(default_factory=dict)
    other_starts: Mapping[str, datetime] = field(default_factory=dict)


# (frames, source columns, window, params) -> frames: the shape of `plan` and of every stage
Stage = Callable[[Frames, Columns, Window, P], dict[str, pl.LazyFrame]]


@dataclass(frozen=True)
class Family(Generic[P]):
    name: str
    required: tuple[str, ...]  # the first is the primary source: its range closes an open window
    needed_columns: Callable[[str, P], set[str]]  # (source, params) -> canonical columns
    plan: Stage[P]
    assemble: Callable[[Mapping[str, pl.DataFrame], RunContext, P], FamilyResult]
    parameters: Callable[[P], dict[str, Any]]  # params -> the JSON `parameters` object
    lookback: Callable[[Window, P], Lookback]
    # (the config's [family] table, the config's folder, **explicit values) -> params: how the
    # API, the command line, `report` and `check` configure any family without knowing it
    configure: Callable[..., P]
    settings: Settings
    metrics: tuple[Metric, ...]  # what `assemble` computes: the family's metrics.py
    tables: tuple[Table, ...]
    # the frames its reductions hand to `assemble`, on either engine: its contract.py
    frames: Mapping[str, FrameContract]
    summary: str = ""  # one line: what the family computes (its command's --help)
    example: str = ""  # a command line that runs it (its command's --help)
    optional: tuple[str, ...] = ()  # read when given, never an error when absent
    stages: tuple[Stage[P], ...] = ()
    one_of: tuple[str, ...] = ()  # at least one of these is needed (voice: surveys or tickets)
    # a window asked for without a start covers this many days before its end (health: 30),
    # instead of all the data
    default_days: int | None = None
    # columns without which the family cannot run, per source (health: events.account_id);
    # `report` leaves such a family out and says why
    required_columns: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # the frames of its first stage, when that stage alone runs on Spark (health's one pass over
    # the events): their declared types are what Spark's results are cast to
    stage_frames: Mapping[str, FrameContract] = field(default_factory=dict)
    # keys of other families' config tables this family reads when its own table does not set
    # them (health: engagement's inactive_events and features, revenue's currency and fx_rates),
    # so one definition of an active event or a currency holds for both
    inherits: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # metric id -> how `explain` splits its change by segment: its explain.py
    explainers: Mapping[str, Explainer[P]] = field(default_factory=dict)
    # (frames, the context of the span of every window read, params) -> frames the explainers'
    # bases share, cached: computed once for explain's two windows or a history's twelve
    explain_shared: Callable[[Frames, RunContext, P], dict[str, pl.LazyFrame]] | None = None

    def table(self, table_of: Callable[[str], Mapping[str, Any]]) -> dict[str, Any]:
        """This family's config table with the inherited keys filled in."""
        inherited = {
            key: value
            for other, keys in self.inherits.items()
            for key, value in table_of(other).items()
            if key in keys
        }
        return {**inherited, **table_of(self.name)}

    def params(
        self,
        table_of: Callable[[str], Mapping[str, Any]],
        base: str = ".",
        given: Mapping[str, Any] | None = None,
        window: Mapping[str, Any] | None = None,
    ) -> P:
        """This family's parameters, the one rule for the API, the command line, `report` and
        `check`: explicit values (`given`; None is not given) over the config's table (with
        the keys it inherits) over a window setting a setting follows (`window`: the window
        settings given) over the declared defaults. Relative paths in the table start at
        `base`, the config's folder."""
        table = self.table(table_of)
        chosen = {k: v for k, v in (given or {}).items() if v is not None}
        for setting in self.settings:
            follows = (window or {}).get(setting.window_default or "")
            if follows is not None and setting.name not in chosen and setting.name not in table:
                chosen[setting.name] = follows
        return self.configure(table, base, **chosen)

    def can_run(self, available: Container[str]) -> bool:
        """Whether the given sources are enough to compute this family."""
        required = all(kind in available for kind in self.required)
        return required and (not self.one_of or any(k in available for k in self.one_of))

    def primary_of(self, available: Container[str]) -> str:
        """The source whose range closes an open window: the first required one, else the
        first of `one_of` that is given."""
        if self.required:
            return self.required[0]
        return next((kind for kind in self.one_of if kind in available), self.one_of[0])

    @property
    def sources(self) -> tuple[str, ...]:
        return (*self.required, *self.one_of, *self.optional)
