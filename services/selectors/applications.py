"""Scoped reads of applications, used by pages and API alike."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import scoping
from core.choices import Role
from core.errors import NotFound
from services.choices import ApplicationStatus
from services.models import (
    Application,
    ApplicationEvent,
    ApplicationMaterial,
    EvaluationFollowUp,
)

S = ApplicationStatus

# What each role works on in "my queue" (待受理, 待审查, 待制证, 待送达/办结).
QUEUES = {
    "accept": (
        gettext_lazy("Awaiting acceptance"),
        [S.SUBMITTED, S.NEEDS_CORRECTION],
        Role.CLERK,
    ),
    "review": (
        gettext_lazy("Awaiting review"),
        [S.ACCEPTED, S.IN_REVIEW],
        Role.REVIEWER,
    ),
    "certify": (gettext_lazy("Awaiting certificate"), [S.APPROVED], Role.REVIEWER),
    "deliver": (
        gettext_lazy("Awaiting delivery or closing"),
        [S.CERTIFICATE_ISSUED, S.DELIVERED, S.DENIED],
        Role.CLERK,
    ),
}


def _role_names(user) -> set[str]:
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._role_names = cached
    return cached


def application_list(*, user) -> QuerySet[Application]:
    """The applications ``user`` may see (``services.scopes.ApplicationScope``)."""
    return scoping.readable(
        Application.objects.select_related(
            "matter", "bundle", "accepting_district", "home_district", "department"
        ),
        user,
    )


def application_get(*, user, pk) -> Application:
    """One visible application with its timeline and materials; others are 404."""
    found = (
        application_list(user=user)
        .select_related("parent", "proxy_staff", "created_by", "intake_department")
        .prefetch_related(
            Prefetch(
                "events",
                queryset=ApplicationEvent.objects.select_related("district").order_by(
                    "sequence"
                ),
            ),
            Prefetch(
                "materials",
                queryset=ApplicationMaterial.objects.select_related("requirement"),
            ),
            Prefetch("children", queryset=Application.objects.select_related("matter")),
        )
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotFound(_("The application does not exist"))
    return found


def application_queue(*, user, queue: str | None = None) -> QuerySet[Application]:
    """My queue: the statuses my roles work on (children only; parents follow them)."""
    roles = _role_names(user)
    admin = user.is_superuser or str(Role.DISTRICT_ADMIN) in roles
    statuses = []
    for key, (_label, wanted, role) in QUEUES.items():
        if queue and key != queue:
            continue
        if admin or str(role) in roles:
            statuses.extend(wanted)
    return application_list(user=user).filter(status__in=statuses, matter__isnull=False)


def user_queues(user) -> list[tuple[str, str]]:
    roles = _role_names(user)
    admin = user.is_superuser or str(Role.DISTRICT_ADMIN) in roles
    return [
        (key, label)
        for key, (label, _statuses, role) in QUEUES.items()
        if admin or str(role) in roles
    ]


def progress_lookup(*, number: str, phone_last4: str) -> Application | None:
    """Public look-up: the number and the phone's last four digits must both match."""
    number = (number or "").strip()
    phone_last4 = (phone_last4 or "").strip()
    if not number or len(phone_last4) != 4 or not phone_last4.isdigit():
        return None
    found = (
        Application.objects.select_related("matter", "bundle", "accepting_district")
        .filter(number=number, applicant_phone__endswith=phone_last4)
        .first()
    )
    return found


def follow_up_list(*, user) -> QuerySet[EvaluationFollowUp]:
    return scoping.readable(
        EvaluationFollowUp.objects.select_related(
            "evaluation", "evaluation__application", "department"
        ),
        user,
    )
