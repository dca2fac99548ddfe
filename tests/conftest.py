import os
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

from tests.engines import ENGINES, HAS_SPARK, engine_fixture

settings.register_profile(
    "csmetrics",
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
settings.load_profile("csmetrics")


@pytest.fixture(autouse=True)
def _plain_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests see what a cron job sees: no terminal, no colour, UTC."""
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setenv("TZ", "UTC")
    os.environ.pop("GITHUB_ACTIONS", None)


@pytest.fixture(scope="module", params=ENGINES)
def engine(request: pytest.FixtureRequest) -> Iterator[str]:
    """The engine a family test runs on (tests/engines.py)."""
    yield from engine_fixture(request)


@pytest.fixture(scope="session", autouse=True)
def _stop_spark() -> Iterator[None]:
    yield
    if HAS_SPARK:
        from pyspark.sql import SparkSession

        active = SparkSession.getActiveSession()
        if active is not None:
            active.stop()
