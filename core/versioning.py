"""Optimistic locking: the one way a versioned row is changed.

Every editable record carries ``version`` (its ETag). A change names the
version the caller last saw; the row is locked first and the version compared
on the locked row, so two writers with the same version cannot both win: the
second waits for the first's lock, then finds a newer version and gets 412.

    with versioning.editing(case_qs, pk=case.pk, expected_version=v, actor=actor) as case:
        case.address = "…"
    # saved with version + 1, audited as ``actor``

``expected_version=None`` is refused (428: the caller did not say what it saw);
internal steps that follow another checked step pass ``UNCHECKED`` explicitly.

A bulk ``QuerySet.update()`` of a versioned model (``VersionedManager``) makes
each row's next version too, so an ETag read before it is stale afterwards, and
it must name who does it (``core.audit.actor_context``, or a request): a bulk
update with nobody in the audit context is refused.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TypeVar

from django.db import models, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from core.audit import actor_context, current_audit_context
from core.errors import NotFound, PreconditionRequired, StaleVersion

M = TypeVar("M", bound=models.Model)


class _Unchecked:
    """Marker: the caller already holds the row under a checked step."""

    def __repr__(self) -> str:
        return "UNCHECKED"


UNCHECKED = _Unchecked()


class UnattributedWrite(RuntimeError):
    """A bulk update of versioned rows outside any audit context."""


class VersionedQuerySet(QuerySet):
    def update(self, **kwargs):
        """Each updated row's next version, audited as the context's actor."""
        context = current_audit_context()
        if context is None or "user" not in context:
            raise UnattributedWrite(
                f"A bulk update of {self.model._meta.label} needs an actor: run it "
                "in a request or inside core.audit.actor_context(actor)."
            )
        kwargs.setdefault("version", models.F("version") + 1)
        return super().update(**kwargs)


VersionedManager = models.Manager.from_queryset(VersionedQuerySet)


def parse_version(value) -> int:
    """A version from a form field, a JSON body or an ``If-Match`` header."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value).strip()
    if text.startswith("W/"):
        text = text[2:]
    text = text.strip('"')
    try:
        return int(text)
    except ValueError:
        raise StaleVersion(_("The version number is malformed.")) from None


def check_version(obj: models.Model, expected) -> None:
    """Refuse unless ``expected`` is the row's version (on a row the caller locked)."""
    if expected is UNCHECKED:
        return
    if expected is None or expected == "":
        raise PreconditionRequired()
    if obj.version != parse_version(expected):
        raise StaleVersion()


def lock(model_or_qs: type[M] | QuerySet[M], *, pk, expected_version) -> M:
    """Lock the row for this transaction and check its version.

    Call inside ``transaction.atomic()``. A row outside ``model_or_qs`` (a scoped
    queryset) is ``NotFound``.
    """
    qs = (
        model_or_qs
        if isinstance(model_or_qs, QuerySet)
        else model_or_qs._default_manager.all()
    )
    obj = qs.select_for_update(of=("self",)).filter(pk=pk).first()
    if obj is None:
        raise NotFound()
    check_version(obj, expected_version)
    return obj


def lock_many(model_or_qs: type[M] | QuerySet[M], *, expected: dict) -> dict[object, M]:
    """``lock`` for many rows in one query: ``expected`` maps pk → version.

    Rows are locked in pk order (two bulk writers cannot deadlock on each
    other); a row outside ``model_or_qs`` is ``NotFound``, a changed one
    ``StaleVersion``, and nothing is changed by the caller then.
    """
    qs = (
        model_or_qs
        if isinstance(model_or_qs, QuerySet)
        else model_or_qs._default_manager.all()
    )
    if not expected:
        return {}
    rows = {
        obj.pk: obj
        for obj in qs.select_for_update(of=("self",))
        .filter(pk__in=list(expected))
        .order_by("pk")
    }
    if len(rows) != len(expected):
        raise NotFound()
    for pk, version in expected.items():
        check_version(rows[pk], version)
    return rows


def bump(obj: models.Model, update_fields: list[str] | None = None) -> None:
    """Save ``obj`` as its next version."""
    obj.version += 1
    if update_fields is not None:
        update_fields = [*update_fields, "version"]
    obj.save(update_fields=update_fields)


@contextlib.contextmanager
def editing(
    model_or_qs: type[M] | QuerySet[M], *, pk, expected_version, actor
) -> Iterator[M]:
    """Lock, check, let the block change the row, then save it as the next version.

    Everything runs in one transaction, audited as ``actor``; an exception in the
    block leaves the row as it was.
    """
    with transaction.atomic(), actor_context(actor):
        obj = lock(model_or_qs, pk=pk, expected_version=expected_version)
        yield obj
        bump(obj)
