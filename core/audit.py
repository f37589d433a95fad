"""Audit trail: who changed which domain row, when, and what it held before/after.

Every domain model is decorated with ``@audited``; django-pghistory installs
PostgreSQL triggers, so bulk ``update()`` and raw SQL are recorded as well as
``save()``. The request middleware puts the user in the context; commands and
workers wrap their writes in ``actor_context``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pghistory
from pghistory.models import Events


def audited(model):
    """Class decorator: record inserts, updates and deletes of ``model``.

    Fresh tracker instances per model: pghistory binds each tracker to one model.
    """
    return pghistory.track(
        pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent()
    )(model)


def audited_as(model_name: str):
    """``@audited`` with the history model named ``model_name``.

    For a model whose default history name (``<Model>Event``) and reverse
    accessor (``.events``) are already taken, e.g. ``services.Application`` beside
    the register's own ``ApplicationEvent``: history is reached as ``.audit_events``.
    """

    def decorate(model):
        return pghistory.track(
            pghistory.InsertEvent(),
            pghistory.UpdateEvent(),
            pghistory.DeleteEvent(),
            model_name=model_name,
            obj_field=pghistory.ObjForeignKey(related_name="audit_events"),
        )(model)

    return decorate


def actor_context(actor, **extra):
    """Attach ``actor`` (a user, a partner district's system, or None for the
    system) to writes in this block."""
    return pghistory.context(**{**audit_identity(actor), **extra})


def current_audit_context() -> dict | None:
    """The metadata of the audit context this thread writes under, or None."""
    from pghistory import runtime

    tracker = getattr(runtime._tracker, "value", None)
    return None if tracker is None else tracker.metadata


def audit_identity(user) -> dict:
    """Who a request acts as, for the audit context: a staff user (session or
    token) by id and name; a partner district's system by its code and name."""
    district = getattr(user, "district", None) if is_partner_principal(user) else None
    if district is not None:
        return {"user": None, "partner": district.code, "user_name": district.name}
    if user is not None and getattr(user, "is_authenticated", False) and user.pk:
        return {
            "user": user.pk,
            "user_name": user.get_full_name() or user.get_username(),
        }
    return {"user": None}


def is_partner_principal(user) -> bool:
    return bool(getattr(user, "is_partner", False))


@dataclass
class HistoryEntry:
    """One change of a record: when, what kind, who, and field → (before, after)."""

    created_at: object
    label: str
    user_id: object
    user_name: str
    changes: dict[str, tuple[object, object]]
    data: dict
    partner: str = ""  # a partner district's code, when its system made the change

    # Templates iterate these lists, never ``changes.items``/``data.items``: a
    # record with a field named "items" (a donation's) would shadow the method.
    @property
    def change_rows(self) -> list[tuple[str, tuple[object, object]]]:
        return list(self.changes.items())

    @property
    def data_rows(self) -> list[tuple[str, object]]:
        return list(self.data.items())


def _masked(name: str, value):
    from core.masking import mask_id, mask_phone

    if not isinstance(value, str):
        return value
    if name.endswith("phone"):
        return mask_phone(value)
    if name.endswith(("id_number", "credit_code")):
        return mask_id(value)
    return value


def history_for(obj, limit: int = 200, user=None) -> list[HistoryEntry]:
    """The record's changes, newest first, each with its before/after values.

    Diffs are taken between consecutive events of the record whatever their
    label (insert, update, delete), so the first update shows what it changed.
    Given the ``user`` reading it, ID and phone numbers are masked unless they
    may see them (the same rule as pages and API).
    """
    from core.masking import can_see_sensitive

    mask = user is not None and not can_see_sensitive(user)
    events = list(
        Events.objects.tracks(obj)
        .order_by("-pgh_created_at", "-pgh_id")
        .values("pgh_created_at", "pgh_label", "pgh_data", "pgh_context")[: limit + 1]
    )
    events.reverse()
    entries = []
    previous = None
    for event in events:
        data = event["pgh_data"] or {}
        if mask:
            data = {name: _masked(name, value) for name, value in data.items()}
        if previous is not None:
            changes = {
                name: (previous.get(name), value)
                for name, value in data.items()
                if previous.get(name) != value
            }
        else:
            changes = {}
        context = event["pgh_context"] or {}
        entries.append(
            HistoryEntry(
                created_at=event["pgh_created_at"],
                label=event["pgh_label"],
                user_id=context.get("user"),
                user_name=context.get("user_name") or "",
                changes=changes,
                data=data,
                partner=context.get("partner") or "",
            )
        )
        previous = data
    entries.reverse()
    # Newest first; a stable sort keeps same-time changes in their order.
    entries.extend(_reveal_entries(obj, limit))
    entries.sort(key=lambda entry: entry.created_at, reverse=True)
    return entries[:limit]


REVEAL_LABEL = "reveal"


def _reveal_entries(obj, limit: int) -> list[HistoryEntry]:
    """Who looked at a full ID or phone number of the record, and why
    (``core.sensitive.reveal``), as history entries labelled ``reveal``."""
    from django.core.exceptions import FieldDoesNotExist

    from core import sensitive

    if not sensitive.fields_of(type(obj)) or obj.pk is None:
        return []
    entries = []
    for item in sensitive.reveals_for(obj, limit=limit):
        try:
            label = str(type(obj)._meta.get_field(item.field_name).verbose_name)
        except FieldDoesNotExist:
            label = item.field_name
        entries.append(
            HistoryEntry(
                created_at=item.created_at,
                label=REVEAL_LABEL,
                user_id=item.user_id,
                user_name=item.user.get_full_name() or item.user.get_username(),
                changes={},
                data={"field": label, "reason": item.reason},
            )
        )
    return entries
