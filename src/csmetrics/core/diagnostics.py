"""Data-quality findings that do not stop a run: counted, reported, never silently dropped."""

from __future__ import annotations

from dataclasses import dataclass

from csmetrics.core.text import printable

# Warnings that the window lies outside the data (families/coverage.py): every output shows
# them first, above the numbers they make meaningless.
WINDOW_OUTSIDE_DATA = ("window_after_data", "window_before_data")
WINDOW_COVERAGE = (*WINDOW_OUTSIDE_DATA, "window_past_data")


@dataclass(frozen=True)
class DataWarning:
    code: str
    message: str
    metric: str | None = None
    count: int | None = None
    source: str | None = None

    def __post_init__(self) -> None:
        # a warning quotes values from the data: never a raw control character in it
        object.__setattr__(self, "message", printable(self.message))

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"code": self.code, "message": self.message}
        for key in ("metric", "count", "source"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return out


def coverage_first(warnings: list[DataWarning] | tuple[DataWarning, ...]) -> list[DataWarning]:
    """The warnings about the window and the data's range, which outputs show at the top."""
    return [w for w in warnings if w.code in WINDOW_COVERAGE]
