"""Anomaly bands (metrics.md): a headline's values over the earlier windows of the same length
give a robust band, median ± threshold × 1.4826 × MAD; a value outside it is flagged, with its
robust z = (value - median) / (1.4826 × MAD).

When the MAD is 0 (more than half the history is one value) the scale falls back to 1.2533 ×
the mean absolute deviation from the median, the same estimator's consistent fallback (IBM's
modified z-score); when that is 0 too, the history is constant and any other value is flagged
(its z is infinite, written null with the reason). Fewer than MIN_HISTORY earlier windows with a
value give no band, and say so.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

MIN_HISTORY = 6
THRESHOLD = 3.0
MAD_SCALE = 1.4826  # MAD to a normal distribution's standard deviation
MEAN_AD_SCALE = 1.2533  # mean absolute deviation to the same


@dataclass(frozen=True)
class Band:
    metric: str
    value: float | None
    history: tuple[tuple[str, float | None], ...]  # (window label, value), oldest first
    threshold: float = THRESHOLD
    median: float | None = None
    scale: float | None = None  # the robust standard deviation (1.4826 × MAD, or its fallback)
    z: float | None = None  # robust z of the value; None without a band or with a constant one
    flagged: bool = False
    reason: str | None = None  # why there is no band, or why z is null

    @property
    def low(self) -> float | None:
        if self.median is None or self.scale is None:
            return None
        return self.median - self.threshold * self.scale

    @property
    def high(self) -> float | None:
        if self.median is None or self.scale is None:
            return None
        return self.median + self.threshold * self.scale

    @property
    def windows(self) -> int:
        """The earlier windows with a value."""
        return sum(1 for _, value in self.history if value is not None)

    def as_dict(self) -> dict[str, Any]:
        return {
            "value": _finite(self.value),
            "median": _finite(self.median),
            "low": _finite(self.low),
            "high": _finite(self.high),
            "z": _finite(self.z),
            "threshold": self.threshold,
            "flagged": self.flagged,
            "windows": self.windows,
            "history": [{"window": label, "value": _finite(v)} for label, v in self.history],
            "reason": self.reason,
        }


def band_of(
    metric: str,
    value: float | None,
    history: Sequence[tuple[str, float | None]],
    threshold: float = THRESHOLD,
) -> Band:
    """The band of `value` given the metric's earlier values (see the module doc)."""
    kept = tuple(history)
    values = [v for _, v in kept if v is not None and math.isfinite(v)]
    if len(values) < MIN_HISTORY:
        reason = (
            f"too little history: {len(values)} earlier window{'s' if len(values) != 1 else ''} "
            f"with a value, {MIN_HISTORY} needed for a band"
        )
        return Band(metric, value, kept, threshold, reason=reason)
    median = statistics.median(values)
    deviations = [abs(v - median) for v in values]
    scale = MAD_SCALE * statistics.median(deviations)
    if scale == 0:
        scale = MEAN_AD_SCALE * statistics.fmean(deviations)
    if value is None:
        return Band(metric, value, kept, threshold, median, scale, reason="no value this window")
    if scale == 0:
        flagged = value != median
        said = "the history is constant: any other value is outside it" if flagged else None
        return Band(metric, value, kept, threshold, median, scale, None if flagged else 0.0,
                    flagged, said)  # fmt: skip
    z = (value - median) / scale
    return Band(metric, value, kept, threshold, median, scale, z, abs(z) > threshold)


def _finite(value: float | None) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return value
