"""Which engine a run uses: a Spark Connect address (--spark-remote, [engine] spark_remote,
CSMETRICS_SPARK_REMOTE) means Spark on that server, and is one choice with --spark-master."""

from __future__ import annotations

from pathlib import Path

import pytest

from csmetrics.core.engine import engine_of
from csmetrics.core.errors import ConfigError
from csmetrics.ingest.config import load_config
from csmetrics.ingest.load import _engine


@pytest.fixture(autouse=True)
def _no_engine_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CSMETRICS_ENGINE", "CSMETRICS_SPARK_MASTER", "CSMETRICS_SPARK_REMOTE"):
        monkeypatch.delenv(name, raising=False)


def test_a_remote_implies_spark() -> None:
    engine = engine_of(spark_remote="sc://spark.internal:15002")
    assert engine.is_spark and engine.spark_remote == "sc://spark.internal:15002"
    assert engine_of().name == "polars"


def test_polars_named_outright_ignores_a_remote() -> None:
    engine = engine_of("polars", spark_remote="sc://spark.internal:15002")
    assert engine.name == "polars" and engine.spark_remote is None


def test_the_environment_names_a_remote(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSMETRICS_SPARK_REMOTE", "sc://from-env:15002")
    assert engine_of().spark_remote == "sc://from-env:15002"
    # the command line wins over the environment
    assert engine_of(spark_remote="sc://given:1").spark_remote == "sc://given:1"


def test_a_master_and_a_remote_together_are_refused() -> None:
    with pytest.raises(ConfigError, match="give one"):
        engine_of(spark_master="local[2]", spark_remote="sc://h:15002")


def test_an_address_that_is_not_connect_is_refused() -> None:
    with pytest.raises(ConfigError, match="expected a Spark Connect address"):
        engine_of(spark_remote="spark://head:7077")


def test_the_config_names_a_remote_and_the_command_line_replaces_it(tmp_path: Path) -> None:
    path = tmp_path / "csmetrics.toml"
    path.write_text('[engine]\nspark_remote = "sc://config-host:15002"\n')
    config = load_config(path)
    assert _engine(None, None, None, config).spark_remote == "sc://config-host:15002"
    # a master given here replaces the config's place to run, rather than clashing with it
    given = _engine(None, "local[2]", None, config)
    assert given.spark_master == "local[2]" and given.spark_remote is None
    assert given.name == "polars"  # a master alone does not choose Spark (as before)
