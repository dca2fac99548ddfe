"""The frames retention's reductions hand to its `assemble` (cohort sizes and cells, lifecycle
flows, new entities), on either engine (families/contract.py checks them on every run)."""

from __future__ import annotations

import polars as pl

from csmetrics.families.contract import FrameContract

FRAMES = {
    "sizes": FrameContract(
        {
            "cidx": pl.Int32,
            "size": pl.UInt32,
        },
    ),
    "cells": FrameContract(
        {
            "cidx": pl.Int32,
            "offset": pl.Int32,
            "users": pl.UInt32,
        },
    ),
    "flows": FrameContract(
        {
            "idx": pl.Int32,
            "active": pl.UInt32,
            "returning": pl.UInt32,
            "resurrecting": pl.UInt32,
            "continued": pl.UInt32,
        },
    ),
    "new": FrameContract(
        {
            "idx": pl.Int32,
            "new": pl.UInt32,
        },
    ),
    "missing_account": FrameContract(
        {
            "n": pl.UInt32,
        },
    ),
}
