"""The family commands: each parses its family's options, builds its parameters and hands
them to the one shared runner (wiring.run_family_command)."""

from __future__ import annotations

from typing import Annotated

import typer

from csmetrics.cli.app import app
from csmetrics.cli.options import (
    InactiveEventsOpt,
    LevelOpt,
    OutputOptions,
    SignupEventOpt,
    SourceOptions,
    WindowOptions,
    command,
)
from csmetrics.cli.wiring import run_family_command, start


@command(
    app,
    sources=("events",),
    window=True,
    output=True,
    epilog="Example: csmetrics engagement --events events.parquet --period last-30d --grain week",
)
def engagement(
    *,
    session_gap: Annotated[
        str | None,
        typer.Option(
            "--session-gap",
            help="Inactivity that ends a session, e.g. 30m (default 30m).",
            show_default=False,
        ),
    ] = None,
    inactive_event: InactiveEventsOpt = None,
    sources: SourceOptions,
    window: WindowOptions,
    output: OutputOptions,
) -> None:
    """DAU/WAU/MAU, stickiness, sessions, feature adoption and account activity."""
    from csmetrics.families.engagement import FAMILY, params_from_config

    settings = start(sources, output)
    params = params_from_config(
        settings.family("engagement"), session_gap=session_gap, inactive_events=inactive_event
    )
    run_family_command(FAMILY, params, settings, sources, window, output)


@command(
    app,
    sources=("events", "accounts"),
    window=True,
    output=True,
    epilog="Example: csmetrics onboarding --events events.parquet --activation-event "
    "created_project --activation-event invited_user --step signed_up --step created_project",
)
def onboarding(
    *,
    activation_event: Annotated[
        list[str] | None,
        typer.Option(
            "--activation-event",
            help="An event every activated user has done (repeatable; all are required).",
        ),
    ] = None,
    activation_window: Annotated[
        str | None,
        typer.Option("--activation-window", help="Time from signup to activate (default 14d)."),
    ] = None,
    value_event: Annotated[
        str | None,
        typer.Option(
            "--value-event", help="The event of first value (default: the last activation event)."
        ),
    ] = None,
    step: Annotated[
        list[str] | None,
        typer.Option("--step", help="A funnel step, in order (repeatable)."),
    ] = None,
    conversion_window: Annotated[
        str | None,
        typer.Option(
            "--conversion-window", help="Time from the first step to convert (default 14d)."
        ),
    ] = None,
    signup_event: SignupEventOpt = None,
    level: LevelOpt = None,
    sources: SourceOptions,
    window: WindowOptions,
    output: OutputOptions,
) -> None:
    """Signups, activation, time to value, days to onboard and the funnel."""
    from csmetrics.families.onboarding import FAMILY, params_from_config

    settings = start(sources, output)
    params = params_from_config(
        settings.family("onboarding"),
        activation_events=activation_event,
        activation_window=activation_window,
        value_event=value_event,
        steps=step,
        conversion_window=conversion_window,
        signup_event=signup_event,
        level=level,
    )
    run_family_command(FAMILY, params, settings, sources, window, output)


@command(
    app,
    sources=("events", "accounts"),
    window=True,
    output=True,
    epilog="Example: csmetrics retention --events events.parquet --cohort-grain week --periods 8",
)
def retention(
    *,
    cohort_grain: Annotated[
        str | None,
        typer.Option(
            "--cohort-grain",
            help="Cohort buckets: day, week or month (default: --grain if given, else week).",
        ),
    ] = None,
    periods: Annotated[
        int | None, typer.Option("--periods", help="Offsets after each cohort (default 12).")
    ] = None,
    signup_event: SignupEventOpt = None,
    return_event: Annotated[
        list[str] | None,
        typer.Option("--return-event", help="An event that counts as a return (repeatable)."),
    ] = None,
    inactive_event: InactiveEventsOpt = None,
    retention_type: Annotated[
        str | None,
        typer.Option("--retention-type", help="first_time (default) or recurring."),
    ] = None,
    retention_mode: Annotated[
        str | None, typer.Option("--retention-mode", help="on (default) or on_or_after.")
    ] = None,
    level: LevelOpt = None,
    sources: SourceOptions,
    window: WindowOptions,
    output: OutputOptions,
) -> None:
    """Cohort retention table, retention in the window, lifecycle and user churn."""
    from csmetrics.families.retention import FAMILY, params_from_config

    settings = start(sources, output)
    params = params_from_config(
        settings.family("retention"),
        cohort_grain=cohort_grain or window.grain or settings.setting("grain"),
        periods=periods,
        signup_event=signup_event,
        return_events=return_event,
        inactive_events=inactive_event,
        retention_type=retention_type,
        retention_mode=retention_mode,
        level=level,
    )
    run_family_command(FAMILY, params, settings, sources, window, output)


@command(
    app,
    sources=("tickets",),
    window=True,
    output=True,
    epilog='Example: csmetrics support --tickets tickets.csv --business-hours "mon-fri 09:00-17:00" '
    "--sla-first-response 4h --by channel",
)
def support(
    *,
    sla_first_response: Annotated[
        str | None,
        typer.Option("--sla-first-response", help="First-response SLA, e.g. 4h."),
    ] = None,
    business_hours: Annotated[
        str | None,
        typer.Option(
            "--business-hours",
            help='Opening hours in --timezone, e.g. "mon-thu 08:00-18:00, fri 08:00-14:00": '
            "durations then count business time only.",
        ),
    ] = None,
    holidays: Annotated[
        str | None,
        typer.Option(
            "--holidays",
            help="File of closed days: one date per line, or a CSV with a date column.",
        ),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option("--by", help="Breakdown: channel, priority, group or assignee."),
    ] = None,
    sources: SourceOptions,
    window: WindowOptions,
    output: OutputOptions,
) -> None:
    """Volume, backlog, first response and resolution times, FCR, reopens, SLA and CSAT."""
    from csmetrics.families.support import FAMILY, params_from_config

    settings = start(sources, output)
    params = params_from_config(
        settings.family("support"),
        base=settings.base,
        sla_first_response=sla_first_response,
        business_hours=business_hours,
        holidays=holidays,
        by=by,
    )
    run_family_command(FAMILY, params, settings, sources, window, output)


@command(
    app,
    sources=("surveys", "tickets", "accounts"),
    window=True,
    output=True,
    epilog="Example: csmetrics voice --surveys nps.csv --accounts accounts.csv --by segment --grain month",
)
def voice(
    *,
    by: Annotated[
        str | None,
        typer.Option("--by", help="A surveys or accounts column to break down by, e.g. segment."),
    ] = None,
    include_comments: Annotated[
        bool,
        typer.Option("--include-comments", help="Write the free-text comments (never by default)."),
    ] = False,
    sources: SourceOptions,
    window: WindowOptions,
    output: OutputOptions,
) -> None:
    """NPS with its margin of error, CSAT and CES; the NPS trend and score distribution."""
    from csmetrics.families.voice import FAMILY, params_from_config

    settings = start(sources, output)
    params = params_from_config(settings.family("voice"), by=by, include_comments=include_comments)
    run_family_command(FAMILY, params, settings, sources, window, output)


@command(
    app,
    sources=("billing", "accounts"),
    window=True,
    output=True,
    epilog="Example: csmetrics revenue --billing invoices.csv --period 2026-10 --gross-margin 0.8",
)
def revenue(
    *,
    gross_margin: Annotated[
        float | None,
        typer.Option("--gross-margin", help="Share of revenue kept, for LTV (default 1.0)."),
    ] = None,
    currency: Annotated[
        str | None,
        typer.Option("--currency", help="Reporting currency (ISO 4217), e.g. EUR."),
    ] = None,
    fx_rates: Annotated[
        str | None,
        typer.Option(
            "--fx-rates",
            help="CSV of date, currency, rate to the reporting currency: needed when the "
            "lines are in several currencies.",
        ),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option(
            "--by", help="A billing or accounts column to break MRR down by (default plan)."
        ),
    ] = None,
    sources: SourceOptions,
    window: WindowOptions,
    output: OutputOptions,
) -> None:
    """MRR and its movements, ARR, ARPA, churn, NRR/GRR, LTV, late payments and AR aging."""
    from csmetrics.families.revenue import FAMILY, params_from_config

    settings = start(sources, output)
    params = params_from_config(
        settings.family("revenue"),
        base=settings.base,
        gross_margin=gross_margin,
        currency=currency,
        fx_rates=fx_rates,
        by=by,
    )
    run_family_command(FAMILY, params, settings, sources, window, output)


@command(
    app,
    sources=("events", "tickets", "surveys", "billing", "accounts"),
    window=True,
    output=True,
    epilog="Example: csmetrics health --config csmetrics.toml --band red --owner 'Ana Ruiz'",
)
def health(
    *,
    weight: Annotated[
        list[str] | None,
        typer.Option(
            "--weight",
            help="A component's weight, NAME=W (repeatable): frequency, breadth, depth, trend, "
            "support, sentiment, billing.",
        ),
    ] = None,
    band: Annotated[
        str | None, typer.Option("--band", help="Only accounts of this band: red, yellow, green.")
    ] = None,
    owner: Annotated[
        str | None,
        typer.Option("--owner", help="Only this owner's accounts (accounts source column owner)."),
    ] = None,
    inactive_event: InactiveEventsOpt = None,
    sources: SourceOptions,
    window: WindowOptions,
    output: OutputOptions,
) -> None:
    """Account health scores (default: the 30 days before the window's end), bands, reasons."""
    from csmetrics.families.health import FAMILY, params_from_config

    settings = start(sources, output)
    params = params_from_config(
        FAMILY.table(settings.family),
        base=settings.base,
        weights=weight or (),
        band=band,
        owner=owner,
        inactive_events=inactive_event,
    )
    run_family_command(FAMILY, params, settings, sources, window, output)
