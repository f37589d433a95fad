"""Reads of the catalogue, scoped by who asks; pages, API and exports share them.

Who sees what is declared once, in ``services.scopes_catalogue`` (core.scoping):
the public, partners and other districts' staff read what is published; local
staff also read their department's drafts; catalogue admins read everything.
``agreement_list_as_of`` is the one answer to "the list as of date D".

``user=None`` is the system (a management command, a worker): everything.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core import scoping
from services.choices import MatterStatus
from services.models import (
    Agreement,
    AgreementMatter,
    Bundle,
    BundleMatter,
    LiaisonOfficer,
    Matter,
    MatterMaterial,
)

PUBLIC_STATUSES = [MatterStatus.PUBLISHED]
# Public pages read as the public does, whoever is signed in.
PUBLIC = AnonymousUser()


def matter_list(*, user) -> QuerySet[Matter]:
    """Matters the user may see, with the department joined (lists show it)."""
    return scoping.readable(Matter.objects.select_related("department"), user)


def matter_get(*, user, pk) -> Matter:
    """One matter with its materials and bundles, or Matter.DoesNotExist (→ 404)."""
    return (
        matter_list(user=user)
        .prefetch_related(
            Prefetch("materials", queryset=MatterMaterial.objects.order_by("position"))
        )
        .get(pk=pk)
    )


def matter_export_rows(*, user) -> QuerySet[Matter]:
    return matter_list(user=user).prefetch_related("materials").order_by("code")


def agreement_list(*, user) -> QuerySet[Agreement]:
    """Staff see every agreement; a partner only its own; the public those in force."""
    return scoping.readable(Agreement.objects.select_related("partner"), user)


def agreement_get(*, user, pk) -> Agreement:
    return (
        agreement_list(user=user)
        .prefetch_related(
            Prefetch(
                "liaisons",
                queryset=scoping.readable(LiaisonOfficer, user).order_by("side", "id"),
            )
        )
        .get(pk=pk)
    )


def agreement_list_as_of(
    *, agreement: Agreement, on: datetime.date | None = None, user=None
) -> QuerySet[AgreementMatter]:
    """The agreement's 通办清单 in force on ``on`` (today by default), as ``user``
    may see it (the system when ``None``: commands, federation).

    An entry is in force when effective_from <= on < effective_to (or no end).
    Pages, API and ``export_agreement_list`` all read the list through here.
    """
    on = on or timezone.localdate()
    return (
        scoping.readable(AgreementMatter, user)
        .filter(agreement=agreement, effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gt=on))
        .select_related("matter", "matter__department")
        .order_by("matter__code")
    )


def agreement_public_entries(
    *, agreement: Agreement, on: datetime.date | None = None
) -> QuerySet[AgreementMatter]:
    """The list as the public sees it: in force and the matter still published."""
    return agreement_list_as_of(agreement=agreement, on=on, user=PUBLIC)


def agreement_changes(*, agreement: Agreement, user) -> list[dict]:
    """The list's change log (动态调整): each addition and removal, newest first."""
    changes = []
    entries = (
        scoping.readable(AgreementMatter, user)
        .filter(agreement=agreement)
        .select_related("matter")
    )
    for entry in entries:
        changes.append(
            {
                "date": entry.effective_from,
                "kind": "added",
                "kind_display": _("Added to the list"),
                "entry": entry,
                "batch": entry.batch,
                "reason": "",
            }
        )
        if entry.effective_to:
            changes.append(
                {
                    "date": entry.effective_to,
                    "kind": "removed",
                    "kind_display": _("Taken off the list"),
                    "entry": entry,
                    "batch": entry.batch,
                    "reason": entry.removal_reason,
                }
            )
    changes.sort(key=lambda c: (c["date"], c["kind"], c["entry"].matter.code))
    changes.reverse()
    return changes


def agreement_entry_list(*, user) -> QuerySet[AgreementMatter]:
    """List entries the user may see (of the agreements they may see)."""
    return scoping.readable(
        AgreementMatter.objects.select_related(
            "agreement", "matter", "matter__department"
        ),
        user,
    )


def bundle_list(*, user) -> QuerySet[Bundle]:
    return scoping.readable(Bundle, user).prefetch_related(
        Prefetch(
            "items",
            queryset=BundleMatter.objects.select_related(
                "matter", "matter__department"
            ).order_by("position"),
        )
    )
