"""Metric families. Each is a folder holding everything about it: its metric and table
declarations (`metrics.py`), its settings (`params.py`), its reductions of the sources to small
frames (Polars modules, and `spark.py` where it runs on Spark), its `assemble`, and its `FAMILY`
(`__init__.py`). `base.py` is the contract a family fulfils, `runner.py` how one runs,
`catalogue.py` the list of them, `across.py` every family at once (report, check), `shared/` what
several families share (a stage, a setting, a definition).
"""
