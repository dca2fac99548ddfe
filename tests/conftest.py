import os

import pytest
from hypothesis import HealthCheck, settings

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
