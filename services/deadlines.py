"""Deadline check of the services register, called by ``manage.py check_deadlines``."""

from __future__ import annotations

import datetime


def check(*, now: datetime.datetime) -> str:
    """Flag deemed acceptance, near-due and overdue applications; one summary line."""
    from services.actions.applications import application_deadlines_refresh

    counts = application_deadlines_refresh(now=now)
    return (
        f"办件期限检查：检查 {counts['checked']} 件，更新 {counts['changed']} 件，"
        f"新视为受理 {counts['deemed']} 件，临期 {counts['near']} 件，"
        f"超期 {counts['overdue']} 件，差评整改新超期 "
        f"{counts.get('followups_overdue', 0)} 件"
    )
