"""The sample's accounts and their users: segments, plans, owners, signups and churn."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np
import polars as pl

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


def weighted_choice(rng: np.random.Generator, options: tuple, size: int) -> np.ndarray:
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
