"""Survey answers for `make bench`: NPS answers with comments drawn from the sample's phrase
banks (sample/service.py), and the same answers without the comment column, so that voice
with and without its comment terms read the same rows."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

from csmetrics.sample.service import COMMENTS


def write_surveys(folder: Path, answers: int, seed: int = 7) -> tuple[Path, Path]:
    """(with comments, without) as Parquet files in `folder`."""
    rng = np.random.default_rng(seed)
    scores = rng.choice(
        11, size=answers, p=[0.02, 0.01, 0.02, 0.03, 0.04, 0.06, 0.07, 0.15, 0.2, 0.2, 0.2]
    )
    banks = {key: np.array(bank, dtype=object) for key, bank in COMMENTS.items()}
    drawn = {key: bank[rng.integers(0, len(bank), answers)] for key, bank in banks.items()}
    comment = np.where(
        scores <= 6, drawn["low"], np.where(scores <= 8, drawn["middle"], drawn["high"])
    )
    seconds = rng.integers(0, 180 * 86_400, answers)
    frame = pl.DataFrame(
        {
            "submitted_at": pl.Series(
                np.datetime64("2026-05-01T00:00:00", "us") + seconds.astype("timedelta64[s]")
            ).dt.replace_time_zone("UTC"),
            "survey": ["nps"] * answers,
            "score": scores,
            "respondent_id": [f"r{i}" for i in range(answers)],
            "comment": pl.Series(comment, dtype=pl.String),
        }
    )
    folder.mkdir(parents=True, exist_ok=True)
    with_comments, without = folder / "surveys.parquet", folder / "surveys-no-comments.parquet"
    frame.write_parquet(with_comments)
    frame.drop("comment").write_parquet(without)
    return with_comments, without
