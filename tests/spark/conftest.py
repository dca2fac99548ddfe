from __future__ import annotations

from typing import Any

import pytest

from tests.engines import HAS_SPARK, shared_spark_session

if not HAS_SPARK:
    pytest.skip("pyspark is not installed", allow_module_level=True)


@pytest.fixture(scope="session")
def spark() -> Any:
    return shared_spark_session()
