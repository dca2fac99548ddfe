"""What several families share, defined once: the signups stage (onboarding, retention), the
inactive-events setting (engagement, retention, health), the survey cut-offs (voice, support,
health)."""
