"""What makes a user active, the one definition engagement, retention and health share: every
event but the `inactive_events` (an e-mail opened is not use of the product)."""

from __future__ import annotations

from csmetrics.core.readers import names
from csmetrics.families.settings import Setting

INACTIVE_EVENTS = Setting(
    "inactive_events",
    names,
    (),
    "An event that does not make a user active, e.g. email_opened.",
    flag="--inactive-event",
    repeatable=True,
    example='["email_opened"]',
    in_starter=True,
    values_of="events.event",
)
