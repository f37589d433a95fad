"""Deadline check of the services register, called by ``manage.py check_deadlines``."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _


def check(*, now: datetime.datetime) -> str:
    """Flag deemed acceptance, near-due and overdue applications; one summary line."""
    from services.actions.applications import application_deadlines_refresh

    counts = application_deadlines_refresh(now=now)
    return _(
        "Application deadline check: %(checked)s checked, %(changed)s updated, "
        "%(deemed)s newly deemed accepted, %(near)s near due, %(overdue)s overdue, "
        "%(followups_overdue)s poor-rating follow-ups newly overdue"
    ) % {
        "checked": counts["checked"],
        "changed": counts["changed"],
        "deemed": counts["deemed"],
        "near": counts["near"],
        "overdue": counts["overdue"],
        "followups_overdue": counts.get("followups_overdue", 0),
    }
