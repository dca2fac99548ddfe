"""Generated data the families' tests share: the sample data set (four months, 25 accounts, as
Parquet and CSV) and five years of generated invoice lines."""

from __future__ import annotations

from pathlib import Path

import pytest
from bench.billing import write_billing

from csmetrics.sample import SampleOptions, write_sample


@pytest.fixture(scope="module")
def sample_events(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("sample")
    out = {}
    for fmt in ("parquet", "csv"):
        target = folder / fmt
        write_sample(target, SampleOptions(seed=11, accounts=25, months=4, events_format=fmt))
        out[fmt] = target / f"events.{fmt}"
    return out


@pytest.fixture(scope="module")
def generated_billing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Five years of lines of 1,500 accounts: annual plans, upgrades, discounts, fees, voids."""
    path = tmp_path_factory.mktemp("billing") / "billing.parquet"
    write_billing(path, accounts=1_500, seed=5)
    return path
