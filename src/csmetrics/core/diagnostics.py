"""Data-quality findings that do not stop a run: counted, reported, never silently dropped."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DataWarning:
    code: str
    message: str
    metric: str | None = None
    count: int | None = None
    source: str | None = None

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"code": self.code, "message": self.message}
        for key in ("metric", "count", "source"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return out
