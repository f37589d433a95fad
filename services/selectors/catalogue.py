"""Reads of the catalogue, scoped by who asks; pages, API and exports share them.

Scope: staff of the local district see every matter of its departments (drafts
too); the public and partner systems see only what is published. Partners see
only their own agreements. ``agreement_list_as_of`` is the one answer to "the
list as of date D".
"""

from __future__ import annotations

import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.api.authentication import is_partner
from core.choices import DistrictKind
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


def is_catalogue_staff(user) -> bool:
    """A signed-in staff member (not a partner system) of the local district.

    ``user=None`` is the operator running a management command: full scope.
    """
    if user is None:
        return True
    if not user.is_authenticated or is_partner(user):
        return False
    if user.is_superuser:
        return True
    district = getattr(user, "district", None)
    return district is not None and district.kind == DistrictKind.LOCAL


def matter_list(*, user) -> QuerySet[Matter]:
    """Matters the user may see, with the department joined (lists show it)."""
    qs = Matter.objects.select_related("department")
    if is_catalogue_staff(user):
        return qs.filter(department__district__kind=DistrictKind.LOCAL)
    return qs.filter(status__in=PUBLIC_STATUSES)


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
    """Staff see every agreement; a partner only its own; the public active ones."""
    qs = Agreement.objects.select_related("partner")
    if user is not None and is_partner(user):
        return qs.filter(partner=user.district)
    if is_catalogue_staff(user):
        return qs
    return qs.filter(active=True)


def agreement_get(*, user, pk) -> Agreement:
    return (
        agreement_list(user=user)
        .prefetch_related(
            Prefetch("liaisons", queryset=LiaisonOfficer.objects.order_by("side", "id"))
        )
        .get(pk=pk)
    )


def agreement_list_as_of(
    *, agreement: Agreement, on: datetime.date | None = None
) -> QuerySet[AgreementMatter]:
    """The agreement's 通办清单 in force on ``on`` (today by default).

    An entry is in force when effective_from <= on < effective_to (or no end).
    Pages, API and ``export_agreement_list`` all read the list through here.
    """
    on = on or timezone.localdate()
    return (
        AgreementMatter.objects.filter(agreement=agreement, effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gt=on))
        .select_related("matter", "matter__department")
        .order_by("matter__code")
    )


def agreement_public_entries(
    *, agreement: Agreement, on: datetime.date | None = None
) -> QuerySet[AgreementMatter]:
    """The list as the public sees it: in force and the matter still published."""
    return agreement_list_as_of(agreement=agreement, on=on).filter(
        matter__status=MatterStatus.PUBLISHED
    )


def agreement_changes(*, agreement: Agreement) -> list[dict]:
    """The list's change log (动态调整): each addition and removal, newest first."""
    changes = []
    entries = AgreementMatter.objects.filter(agreement=agreement).select_related(
        "matter"
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
    """List entries of the agreements the user may see."""
    return AgreementMatter.objects.filter(
        agreement__in=agreement_list(user=user)
    ).select_related("agreement", "matter", "matter__department")


def bundle_list(*, user) -> QuerySet[Bundle]:
    qs = Bundle.objects.prefetch_related(
        Prefetch(
            "items",
            queryset=BundleMatter.objects.select_related(
                "matter", "matter__department"
            ).order_by("position"),
        )
    )
    if is_catalogue_staff(user):
        return qs
    return qs.filter(active=True)
