"""The cut-offs of the survey scales (metrics.md, voice of customer), named once for every family
that reads a rating: voice's NPS, CSAT and CES, support's ticket CSAT."""

from __future__ import annotations

# NPS, 0-10: promoters answer 9 or 10, detractors 0 to 6, passives 7 or 8
PROMOTER_MIN = 9
DETRACTOR_MAX = 6
# CSAT, 1-5 (ticket ratings read as 1-5, "good" as 5): satisfied answers 4 or 5
SATISFIED_MIN = 4
# CES, 1-7: "easy" answers 5 to 7
EASY_MIN = 5
