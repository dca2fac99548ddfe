"""Metric families: each a package of pure LazyFrame -> LazyFrame functions plus a `FAMILY`.

FAMILIES lists them in report order; `report` and `check` iterate over it, so a family added
here appears in both with no change to their code.
"""

from csmetrics.families.base import Family, FamilyResult, RunContext
from csmetrics.families.engagement import FAMILY as ENGAGEMENT
from csmetrics.families.health import FAMILY as HEALTH
from csmetrics.families.onboarding import FAMILY as ONBOARDING
from csmetrics.families.retention import FAMILY as RETENTION
from csmetrics.families.revenue import FAMILY as REVENUE
from csmetrics.families.support import FAMILY as SUPPORT
from csmetrics.families.voice import FAMILY as VOICE

FAMILIES: dict[str, Family] = {
    family.name: family
    for family in (ONBOARDING, ENGAGEMENT, RETENTION, SUPPORT, VOICE, REVENUE, HEALTH)
}

__all__ = ["FAMILIES", "Family", "FamilyResult", "RunContext"]
