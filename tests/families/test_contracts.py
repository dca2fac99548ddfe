"""Each family's frames keep their declared contract (families/<family>/contract.py), and a frame
that breaks it is an internal error naming the family, the frame and the column."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

import csmetrics as cm
from csmetrics.core.window import build_window
from csmetrics.families.catalogue import FAMILIES
from csmetrics.families.contract import ContractError, FrameContract, check_frames, typed

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = {"totals": FrameContract({"users": pl.UInt32, "name": pl.String}, optional=("name",))}


def test_a_frame_that_keeps_its_contract_passes() -> None:
    check_frames(
        "f", {"totals": pl.DataFrame({"users": [1]}, schema={"users": pl.UInt32})}, CONTRACT
    )


@pytest.mark.parametrize(
    ("frames", "message"),
    [
        ({"other": pl.DataFrame({"users": [1]})}, "f: frame 'other' is not declared"),
        (
            {
                "totals": pl.DataFrame(
                    {"users": [1], "extra": [2]}, schema_overrides={"users": pl.UInt32}
                )
            },
            "frame 'totals' has undeclared column 'extra'",
        ),
        (
            {"totals": pl.DataFrame({"users": [1]})},
            "frame 'totals', column 'users' is Int64, declared UInt32",
        ),
        ({"totals": pl.DataFrame({"name": ["a"]})}, "frame 'totals' lacks column 'users'"),
    ],
)
def test_a_frame_that_breaks_its_contract_is_an_internal_error(
    frames: dict[str, pl.DataFrame], message: str
) -> None:
    with pytest.raises(ContractError, match=message):
        check_frames("f", frames, CONTRACT)


def test_another_engines_frames_take_the_declared_types() -> None:
    made = {"totals": pl.DataFrame({"users": [3], "name": ["a"]})}  # Int64, as Spark gives
    (frame,) = typed(made, CONTRACT).values()
    assert frame.schema == pl.Schema({"users": pl.UInt32, "name": pl.String})
    check_frames("f", {"totals": frame}, CONTRACT)


def test_healths_first_stage_on_polars_keeps_the_contract_spark_is_cast_to() -> None:
    inputs = cm.load(config=ROOT / "sample_data" / "csmetrics.toml")
    health = FAMILIES["health"]
    params = health.params(inputs.config.family if inputs.config else dict, ".")
    window = build_window(period="2026-10").resolved(None, None, "sample")
    columns = {kind: inputs.sources[kind].columns for kind in inputs.sources}
    made = health.stages[0]({k: inputs[k].lazy() for k in inputs}, columns, window, params)
    frames = {name: made[name].collect() for name in health.stage_frames}
    check_frames("health", frames, health.stage_frames)
