"""Audit trail: who changed which domain row, when, and what it held before/after.

Every domain model is decorated with ``@audited``; django-pghistory installs
PostgreSQL triggers, so bulk ``update()`` and raw SQL are recorded as well as
``save()``. The request middleware puts the user in the context; commands and
workers wrap their writes in ``actor_context``.
"""

from __future__ import annotations

import pghistory
from pghistory.models import Events

def audited(model):
    """Class decorator: record inserts, updates and deletes of ``model``.

    Fresh tracker instances per model: pghistory binds each tracker to one model.
    """
    return pghistory.track(
        pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent()
    )(model)


def actor_context(actor, **extra):
    """Attach ``actor`` (a user, or None for the system) to writes in this block."""
    if actor is not None and getattr(actor, "pk", None):
        extra.setdefault("user_name", actor.get_full_name() or actor.get_username())
    return pghistory.context(user=getattr(actor, "pk", None), **extra)


def history_for(obj):
    """The events of one record, newest first, with ``pgh_diff`` (before/after)."""
    return (
        Events.objects.tracks(obj)
        .order_by("-pgh_created_at", "-pgh_id")
        .select_related("pgh_context")
    )
