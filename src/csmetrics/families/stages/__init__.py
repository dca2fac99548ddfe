"""Stages several families share, computed once per run (signups: onboarding and retention)."""
