"""Running a family's tests on both engines (issue 14): Polars, and Spark on local[2].

A test module opts in with `pytestmark = pytest.mark.usefixtures("engine")` (or by taking
`engine`): every test then runs once per engine, the engine chosen the way a user chooses it,
by CSMETRICS_ENGINE. Property tests use `given_on_engines`, which runs fewer examples on Spark
(each is a few Spark jobs of fixed cost); the equality of the engines on random logs has its
own test (tests/spark/test_equal_engines.py).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import given, settings

HAS_SPARK = importlib.util.find_spec("pyspark") is not None
ENGINES = [
    "polars",
    pytest.param(
        "spark", marks=pytest.mark.skipif(not HAS_SPARK, reason="pyspark is not installed")
    ),
]
SPARK_EXAMPLES = 2


def shared_spark_session() -> Any:
    """One local[2] session for the whole test run, sized for tiny frames."""
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("csmetrics-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.adaptive.enabled", "false")
        # tiny frames: compiling generated code for each query costs more than interpreting
        # it (a third of a family's time here); the cluster test and the bench use codegen
        .config("spark.sql.codegen.wholeStage", "false")
        .config("spark.sql.codegen.factoryMode", "NO_CODEGEN")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.memory", "1g")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    return session


def engine_fixture(request: pytest.FixtureRequest) -> Iterator[str]:
    name: str = request.param
    if name == "spark":
        shared_spark_session()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CSMETRICS_ENGINE", name)
        yield name


def given_on_engines(*strategies: Any, **named: Any) -> Callable[[Callable[..., None]], Any]:
    """`hypothesis.given` for a test run on both engines: the profile's examples on Polars,
    SPARK_EXAMPLES on Spark. The decorated test takes `engine` (the fixture) in place of the
    generated arguments."""

    def decorate(test: Callable[..., None]) -> Any:
        on_polars = given(*strategies, **named)(test)
        on_spark = settings(max_examples=SPARK_EXAMPLES)(given(*strategies, **named)(test))

        def run(engine: str) -> None:
            (on_spark if engine == "spark" else on_polars)()

        run.__name__, run.__qualname__ = test.__name__, test.__qualname__
        run.__doc__, run.__module__ = test.__doc__, test.__module__
        return run

    return decorate
