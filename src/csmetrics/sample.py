"""A realistic, linked, deterministic sample dataset for all five sources.

Accounts have users; users sign up, onboard (created_project, invited_user, connected_integration),
use features with their own habits (weekday-heavy, in sessions), and some churn. Accounts file
tickets, pay monthly or annual invoices (varied billing days, upgrades, downgrades, cancellations,
reactivations, discounts, setup fees, late and unpaid invoices) and answer NPS/CSAT/CES surveys.
Events are generated with vectorised numpy draws, so the same code writes 20M+ events for
benchmarks; the small sources use plain loops over accounts (hundreds of rows, not millions).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import polars as pl

from csmetrics.core.errors import ConfigError
from csmetrics.core.timeparts import UTC, add_months
from csmetrics.render.files import atomic_write

SEGMENTS = ("smb", "mid-market", "enterprise")
SEGMENT_WEIGHTS = (0.6, 0.3, 0.1)
SEGMENT_USERS = (0.6, 1.4, 3.0)  # x users_per_account
PLANS = {"starter": 49.0, "growth": 199.0, "business": 799.0}
PLAN_BY_SEGMENT = {"smb": "starter", "mid-market": "growth", "enterprise": "business"}
OWNERS = ("Ana Ruiz", "Ben Okafor", "Chloé Martin", "Dev Patel", "Emma Lind")
ONBOARDING = ("created_project", "invited_user", "connected_integration")
FEATURES = (
    ("page_view", 0.40),
    ("dashboard_viewed", 0.12),
    ("report_viewed", 0.11),
    ("task_created", 0.09),
    ("comment_added", 0.07),
    ("login", 0.07),
    ("report_exported", 0.04),
    ("integration_synced", 0.04),
    ("search", 0.03),
    ("email_opened", 0.03),
)
CHANNELS = (("email", 0.45), ("chat", 0.3), ("web", 0.2), ("phone", 0.05))
PRIORITIES = (("low", 0.3), ("normal", 0.5), ("high", 0.15), ("urgent", 0.05))
SYLLABLES = (
    "ac",
    "me",
    "ze",
    "lo",
    "tri",
    "nova",
    "quant",
    "ly",
    "sys",
    "bit",
    "or",
    "ix",
    "data",
    "flow",
)


@dataclass(frozen=True)
class SampleOptions:
    seed: int = 42
    accounts: int = 60
    months: int = 6
    end: str = "2026-11-01"
    users_per_account: float = 8.0
    events_per_user_day: float = 6.0
    events_format: str = "csv"  # csv or parquet
    duplicate_share: float = 0.001


def write_sample(folder: Path, options: SampleOptions) -> dict[Path, int]:
    """Write accounts, events, tickets, billing and surveys into `folder`; rows written per file."""
    if options.events_format not in ("csv", "parquet"):
        raise ConfigError(f"--file-format: expected csv or parquet, got {options.events_format!r}")
    try:
        end = date.fromisoformat(options.end)
    except ValueError as exc:
        raise ConfigError(
            f"--end: expected a date such as 2026-11-01, got {options.end!r}"
        ) from exc
    rng = np.random.default_rng(options.seed)
    start = (
        add_months(end, -options.months)
        if end.day == 1
        else end - timedelta(days=30 * options.months)
    )
    accounts = make_accounts(rng, options.accounts, start, end)
    users = make_users(rng, accounts, options.users_per_account, start, end)
    events = make_events(rng, users, end, options.events_per_user_day, options.duplicate_share)
    tickets = make_tickets(rng, accounts, start, end)
    billing = make_billing(rng, accounts, end)
    surveys = make_surveys(rng, users, tickets, end)
    frames = {
        "accounts.csv": accounts.drop("churn_month"),
        f"events.{options.events_format}": events,
        "tickets.csv": tickets,
        "billing.csv": billing,
        "surveys.csv": surveys,
    }
    folder.mkdir(parents=True, exist_ok=True)
    written: dict[Path, int] = {}
    for name, frame in frames.items():
        path = folder / name
        if name.endswith(".parquet"):
            atomic_write(path, functools.partial(_write_parquet, frame))
        else:
            out = frame.with_columns(
                pl.col(c).dt.strftime("%Y-%m-%dT%H:%M:%SZ")
                for c, t in frame.schema.items()
                if isinstance(t, pl.Datetime)
            )
            atomic_write(path, functools.partial(_write_csv, out))
        written[path] = frame.height
    return written


def _choice(rng: np.random.Generator, options: tuple, size: int) -> np.ndarray:
    names = np.array([o[0] for o in options])
    weights = np.array([o[1] for o in options], dtype=float)
    return names[rng.choice(len(names), size=size, p=weights / weights.sum())]


def _company(rng: np.random.Generator) -> str:
    parts = rng.choice(len(SYLLABLES), size=int(rng.integers(2, 4)))
    return "".join(SYLLABLES[i] for i in parts).capitalize() + str(
        rng.choice([" Inc", " Ltd", " GmbH", " Labs", ""])
    )


def make_accounts(rng: np.random.Generator, count: int, start: date, end: date) -> pl.DataFrame:
    span = (end - start).days
    # Half the accounts exist before the data starts; the rest sign up during it.
    offsets = np.where(
        rng.random(count) < 0.5, -rng.integers(1, 365, count), rng.integers(0, span, count)
    )
    segment = np.array(SEGMENTS)[rng.choice(3, size=count, p=SEGMENT_WEIGHTS)]
    created = [
        datetime(start.year, start.month, start.day) + timedelta(days=int(o), hours=int(h))
        for o, h in zip(offsets, rng.integers(8, 18, count), strict=True)
    ]
    seats = np.array([{"smb": 5, "mid-market": 15, "enterprise": 60}[s] for s in segment])
    churn_month = np.where(rng.random(count) < 0.15, rng.integers(2, 40, count), -1)
    return pl.DataFrame(
        {
            "account_id": [f"acc_{i:05d}" for i in range(1, count + 1)],
            "name": [_company(rng) for _ in range(count)],
            "segment": segment,
            "plan": [PLAN_BY_SEGMENT[s] for s in segment],
            "owner": np.array(OWNERS)[rng.integers(0, len(OWNERS), count)],
            "created_at": created,
            "seats": seats,
            "churn_month": churn_month,
        }
    ).with_columns(pl.col("created_at").dt.replace_time_zone("UTC"))


def make_users(
    rng: np.random.Generator, accounts: pl.DataFrame, per_account: float, start: date, end: date
) -> pl.DataFrame:
    """One row per user: account, signup day, last possible active day, daily activity rate."""
    segment_factor = dict(zip(SEGMENTS, SEGMENT_USERS, strict=True))
    means = np.array([per_account * segment_factor[s] for s in accounts["segment"]])
    counts = 1 + rng.poisson(np.maximum(means - 1, 0.1))
    account_index = np.repeat(np.arange(accounts.height), counts)
    n = int(counts.sum())
    origin = np.datetime64(start.isoformat(), "D")
    created = accounts["created_at"].dt.date().to_numpy().astype("datetime64[D]")[account_index]
    signup = np.maximum(created + rng.exponential(20, n).astype("timedelta64[D]"), origin - 200)
    lifetime = rng.exponential(240, n).astype("int64")
    last_day = np.minimum(
        signup + lifetime.astype("timedelta64[D]"), np.datetime64(end.isoformat(), "D") - 1
    )
    return pl.DataFrame(
        {
            "user_id": [f"u_{i:07d}" for i in range(1, n + 1)],
            "account_id": accounts["account_id"].to_numpy()[account_index],
            "signup": signup,
            "last_day": last_day,
            "rate": rng.beta(2.0, 3.5, n),  # share of weekdays a user is active
            "origin": np.full(n, origin),
        }
    )


def make_events(
    rng: np.random.Generator, users: pl.DataFrame, end: date, per_day: float, duplicate_share: float
) -> pl.DataFrame:
    """Events for every user-day of activity, in sessions, with onboarding steps first."""
    origin = users["origin"][0]
    first = np.maximum(users["signup"].to_numpy(), np.datetime64(origin, "D"))
    last = users["last_day"].to_numpy()
    lengths = np.maximum((last - first).astype("int64") + 1, 0)
    user_index = np.repeat(np.arange(users.height), lengths)
    starts = np.repeat(np.cumsum(lengths) - lengths, lengths)
    days = first[user_index] + (np.arange(user_index.size) - starts).astype("timedelta64[D]")
    weekday = (days.astype("int64") + 3) % 7  # 0 = Monday
    rate = users["rate"].to_numpy()[user_index] * np.where(weekday >= 5, 0.25, 1.0)
    active = rng.random(user_index.size) < rate
    # The signup day is always active: it carries the onboarding steps.
    active |= days == users["signup"].to_numpy()[user_index]
    user_index, days = user_index[active], days[active]
    per_user_day = 1 + rng.poisson(max(per_day - 1, 0.1), user_index.size)
    sessions = 1 + rng.poisson(0.4, user_index.size)
    event_user = np.repeat(user_index, per_user_day)
    event_day = np.repeat(days, per_user_day)
    session_of_event = (rng.random(event_user.size) * np.repeat(sessions, per_user_day)).astype(
        "int64"
    )
    # Session starts: working hours; events spread over a ~15-minute session.
    day_seed = (
        event_user * 7919 + event_day.astype("int64") * 31 + session_of_event * 104729
    ) % 86000
    session_start = (day_seed * 37 + 7 * 3600) % 61200 + 6 * 3600
    offset = rng.exponential(300, event_user.size).clip(0, 5000)
    seconds = np.minimum(session_start + offset, 86399).astype("int64")
    timestamps = event_day.astype("datetime64[s]") + seconds.astype("timedelta64[s]")
    names = _choice(rng, FEATURES, event_user.size).astype(object)
    signup_day = users["signup"].to_numpy()[event_user]
    on_signup = event_day == signup_day
    step = rng.integers(0, len(ONBOARDING) + 2, event_user.size)
    names = np.where(
        on_signup & (step < len(ONBOARDING)),
        np.array(ONBOARDING, dtype=object)[np.minimum(step, 2)],
        names,
    )
    frame = pl.DataFrame(
        {
            "timestamp": timestamps.astype("datetime64[us]"),
            "user_id": users["user_id"].to_numpy()[event_user],
            "account_id": users["account_id"].to_numpy()[event_user],
            "event": names.astype(str),
        }
    ).with_columns(pl.col("timestamp").dt.replace_time_zone("UTC"))
    frame = frame.filter(pl.col("timestamp") < datetime(end.year, end.month, end.day, tzinfo=UTC))
    signups = (
        frame.group_by("user_id")
        .agg(pl.col("timestamp").min(), pl.col("account_id").first())
        .join(users.select("user_id", "signup"), on="user_id")
        .filter(pl.col("signup") >= pl.col("timestamp").dt.date())
        .with_columns(pl.col("timestamp") - pl.duration(seconds=30), event=pl.lit("signed_up"))
        .select(frame.columns)
    )
    frame = pl.concat([frame, signups]).sort("timestamp", "user_id", "event")
    frame = (
        frame.with_row_index("n")
        .with_columns(event_id=pl.format("evt_{}", pl.col("n").cast(pl.String).str.zfill(10)))
        .drop("n")
    )
    duplicates = frame.sample(fraction=duplicate_share, seed=int(rng.integers(0, 2**31)))
    return pl.concat([frame, duplicates]).select(
        "event_id", "timestamp", "user_id", "account_id", "event"
    )


def make_tickets(
    rng: np.random.Generator, accounts: pl.DataFrame, start: date, end: date
) -> pl.DataFrame:
    """Tickets per account by segment; replies and solves after lognormal delays, as of `end`."""
    per_segment = {"smb": 4, "mid-market": 9, "enterprise": 20}
    counts = rng.poisson([per_segment[s] for s in accounts["segment"]])
    account = np.repeat(accounts["account_id"].to_numpy(), counts)
    n = account.size
    micro = 1_000_000
    created = np.datetime64(start.isoformat(), "us") + (
        rng.integers(0, (end - start).days * 86400, n) * micro
    ).astype("timedelta64[us]")
    first = created + (rng.lognormal(0.8, 1.1, n) * 3600 * micro).astype("timedelta64[us]")
    solved = first + (rng.lognormal(2.5, 1.3, n) * 3600 * micro).astype("timedelta64[us]")
    until = np.datetime64(end.isoformat(), "us")
    answered = first < until
    done = answered & (solved < until) & (rng.random(n) > 0.05)
    rated = done & (rng.random(n) < 0.4)
    rating = rng.choice([1, 2, 3, 4, 5], size=n, p=[0.05, 0.05, 0.1, 0.3, 0.5])
    frame = pl.DataFrame(
        {
            "ticket_id": (np.arange(n) + 1001).astype(str),
            "created_at": created,
            "first_response_at": first,
            "solved_at": solved,
            "account_id": account,
            "requester_id": pl.Series([None] * n, dtype=pl.String),
            "status": np.where(done, "solved", np.where(answered, "open", "new")),
            "channel": _choice(rng, CHANNELS, n),
            "priority": _choice(rng, PRIORITIES, n),
            "group": np.where(rng.random(n) < 0.2, "billing", "support"),
            "agent_replies": np.where(answered, 1 + rng.poisson(0.8, n), 0),
            "reopens": (rng.random(n) < 0.08).astype(np.int64),
            "satisfaction": rating,
            "_answered": answered,
            "_done": done,
            "_rated": rated,
        }
    )
    return (
        frame.with_columns(
            pl.when("_answered").then("first_response_at").alias("first_response_at"),
            pl.when("_done").then("solved_at").alias("solved_at"),
            pl.when("_rated").then("satisfaction").alias("satisfaction"),
        )
        .with_columns(
            pl.col(c).dt.replace_time_zone("UTC")
            for c in ("created_at", "first_response_at", "solved_at")
        )
        .drop("_answered", "_done", "_rated")
    )


def make_billing(rng: np.random.Generator, accounts: pl.DataFrame, end: date) -> pl.DataFrame:
    """Invoice lines: monthly or annual plans on the signup's day, with the usual life events."""
    # A loop over accounts on purpose: each account's billing is a small state machine (plan
    # changes, pauses, churn) over its own months, clearer as code than as array algebra, and it
    # writes one row per invoice line (hundreds to tens of thousands), never per event.
    rows: list[dict] = []
    until = datetime(end.year, end.month, end.day)
    invoice = 0
    for account, plan, created, churn_month in accounts.select(
        "account_id", "plan", "created_at", "churn_month"
    ).iter_rows():
        annual = rng.random() < 0.2
        step = 12 if annual else 1
        anchor = created.replace(tzinfo=None, hour=0, minute=0, second=0)
        discount = 0.2 if rng.random() < 0.15 else 0.0
        price = PLANS[plan] * (10 if annual else 1)
        period = 0
        paused_until = -1
        while True:
            start = _add_months_keep_day(anchor, period)
            if start >= until:
                break
            if churn_month >= 0 and period >= churn_month and paused_until < 0:
                if rng.random() < 0.3:  # comes back a few months later
                    paused_until = period + int(rng.integers(2, 5))
                else:
                    break
            if period < paused_until:
                period += 1
                continue
            if not annual and rng.random() < 0.04:  # upgrade or downgrade
                price = round(price * float(rng.choice([1.5, 0.6])), 2)
            finish = _add_months_keep_day(anchor, period + step)
            invoice += 1
            invoice_id = f"in_{invoice:06d}"
            due = start + timedelta(days=14)
            late = rng.random() < 0.12
            paid = start + timedelta(
                days=int(rng.integers(15, 60) if late else rng.integers(0, 10))
            )
            status = "paid" if paid < until else "open"
            if rng.random() < 0.01:
                status = "void"
            elif late and rng.random() < 0.1:
                status, paid = "uncollectible", None  # type: ignore[assignment]
            lines = [(price, True, plan)]
            if discount:
                lines.append((-round(price * discount, 2), True, plan))
            if period == 0:
                lines.append((float(rng.choice([0.0, 250.0, 500.0])), False, "setup"))
            for amount, recurring, line_plan in lines:
                if amount == 0:
                    continue
                rows.append(
                    {
                        "invoice_id": invoice_id,
                        "account_id": account,
                        "amount": amount,
                        "currency": "EUR",
                        "issued_at": start,
                        "period_start": start,
                        "period_end": finish,
                        "due_at": due,
                        "paid_at": paid if status == "paid" else None,
                        "status": status,
                        "recurring": recurring,
                        "plan": line_plan,
                    }
                )
            period += step
    frame = pl.DataFrame(rows, schema_overrides={"paid_at": pl.Datetime("us")})
    stamps = ("issued_at", "period_start", "period_end", "due_at", "paid_at")
    return frame.with_columns(
        pl.col(c).cast(pl.Datetime("us")).dt.replace_time_zone("UTC") for c in stamps
    )


def _add_months_keep_day(anchor: datetime, months: int) -> datetime:
    first = add_months(anchor.date(), months)
    next_first = add_months(first, 1)
    day = min(anchor.day, (next_first - first).days)
    return datetime(first.year, first.month, day)


def make_surveys(
    rng: np.random.Generator, users: pl.DataFrame, tickets: pl.DataFrame, end: date
) -> pl.DataFrame:
    """NPS from a quarter of users some weeks after signup, CES from some of them, and CSAT
    from rated tickets two hours after their solve."""
    until = datetime(end.year, end.month, end.day, tzinfo=UTC)
    asked = users.filter(pl.col("user_id").hash(seed=3) % 4 == 0)
    n = asked.height
    nps_shares = [0.02, 0.01, 0.02, 0.03, 0.04, 0.06, 0.07, 0.15, 0.2, 0.2, 0.2]
    nps = asked.select(
        (
            pl.col("signup").cast(pl.Datetime("us")).dt.replace_time_zone("UTC")
            + pl.duration(days=pl.lit(pl.Series(rng.integers(20, 200, n))))
        ).alias("submitted_at"),
        pl.lit("nps").alias("survey"),
        pl.Series("score", rng.choice(11, size=n, p=nps_shares)),
        pl.col("user_id").alias("respondent_id"),
        "account_id",
        pl.Series("_praise", rng.random(n) < 0.3),
    ).with_columns(
        comment=pl.when((pl.col("score") >= 9) & pl.col("_praise")).then(pl.lit("Great support!"))
    )
    ces = nps.filter(pl.Series(rng.random(n) < 0.3)).with_columns(
        pl.col("submitted_at") + pl.duration(hours=1),
        survey=pl.lit("ces"),
        comment=pl.lit(None, pl.String),
    )
    ces = ces.with_columns(score=pl.Series(rng.integers(2, 8, ces.height)))
    csat = tickets.filter(
        pl.col("solved_at").is_not_null() & pl.col("satisfaction").is_not_null()
    ).select(
        (pl.col("solved_at") + pl.duration(hours=2)).alias("submitted_at"),
        pl.lit("csat").alias("survey"),
        pl.col("satisfaction").alias("score"),
        pl.lit(None, pl.String).alias("respondent_id"),
        "account_id",
        pl.lit(None, pl.String).alias("comment"),
    )
    columns = ["submitted_at", "survey", "score", "respondent_id", "account_id", "comment"]
    frame = pl.concat(
        [f.select(columns).with_columns(pl.col("score").cast(pl.Int64)) for f in (nps, ces, csat)]
    )
    return frame.filter(pl.col("submitted_at") < until).sort("submitted_at", "survey", "account_id")


def _write_parquet(frame: pl.DataFrame, path: Path) -> None:
    frame.write_parquet(path, row_group_size=1_000_000)


def _write_csv(frame: pl.DataFrame, path: Path) -> None:
    frame.write_csv(path)
