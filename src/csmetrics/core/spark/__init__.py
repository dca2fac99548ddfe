"""The event families on Apache Spark (`engine="spark"`, `--engine spark`).

Spark reads and reduces the events where they live; only small result frames (one row per day,
feature, account, cohort cell) come back, as Polars frames, to the same `assemble` functions
that finish the Polars engine's results. So each metric's definition (its formula, null rule,
table and warnings) lives once, in the family's `assemble`; what is written per engine is the
reduction of the events to those frames: `families/<family>/` for Polars, `spark/<family>.py`
here, proven equal by the family tests, which run against both engines.

pyspark is an optional dependency (`pip install csmetrics[spark]`): nothing here is imported
unless the Spark engine is asked for.
"""

import warnings

# pyspark warns on import that pandas 3 is untested; csmetrics moves results through Arrow and
# never through pandas, and the warning on stderr would read as a csmetrics problem
warnings.filterwarnings(
    "ignore", message="PySpark does not yet fully support pandas", category=FutureWarning
)
