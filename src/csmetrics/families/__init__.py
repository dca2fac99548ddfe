"""Metric families: each a module of pure LazyFrame -> LazyFrame functions plus a `FAMILY`."""

from csmetrics.families.base import Family, FamilyResult, RunContext
from csmetrics.families.engagement import FAMILY as ENGAGEMENT

FAMILIES: dict[str, Family] = {family.name: family for family in (ENGAGEMENT,)}

__all__ = ["FAMILIES", "Family", "FamilyResult", "RunContext"]
