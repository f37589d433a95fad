"""Query parameters a view reads itself, parsed as the schema types them.

Like every optional query parameter, one sent empty is as if not sent (None).
"""

from __future__ import annotations

import datetime
import re

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def iso_date(value: str | None) -> datetime.date | None:
    """``YYYY-MM-DD`` in ASCII digits, or None when empty.

    Raises ValueError for anything else: Django's ``parse_date`` also reads
    Arabic-Indic digits, ``date.fromisoformat`` also "20260101" and "2026-W01-1".
    """
    if not value:
        return None
    if not _DATE.fullmatch(value):
        raise ValueError(value)
    return datetime.date.fromisoformat(value)
