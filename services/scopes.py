"""Who sees which rows of the services register (``core.scoping``).

Applications: staff see their district's applications handled or taken by their
department; a 区级管理员 all of the district; a partner district's system the
applications the federation protocol sent it or it sent us (docs/federation.md).
Everything recorded about an application (its timeline, materials, rating,
follow-up, outbox messages) is seen by whoever sees the application.
"""

from __future__ import annotations

from django.db.models import Q

from core import scoping
from core.choices import Role
from services.models import (
    Application,
    ApplicationDocument,
    ApplicationEvent,
    ApplicationMaterial,
    Evaluation,
    EvaluationFollowUp,
    OutboxMessage,
)


def _role_names(user) -> set[str]:
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._role_names = cached
    return cached


def is_district_admin(user) -> bool:
    return str(Role.DISTRICT_ADMIN) in _role_names(user)


def shared_with(district) -> Q:
    """The applications a partner district is a party to under the protocol: those
    it accepted for us (it sent them), and those we transferred to it."""
    return Q(accepting_district=district) | Q(
        home_district=district, transferred_at__isnull=False
    )


def reported_by(district) -> Q:
    """The applications whose steps ``district`` reports to us: those we transferred
    to it as their home district."""
    return Q(home_district=district, transferred_at__isnull=False)


@scoping.register(Application)
class ApplicationScope(scoping.Scope):
    def staff_rows(self, user) -> Q:
        district = user.district
        if district is None:
            return scoping.NOTHING
        in_district = Q(accepting_district=district) | Q(home_district=district)
        if is_district_admin(user):
            return in_district
        return in_district & (
            Q(department=user.department_id) | Q(intake_department=user.department_id)
        )

    def partner_rows(self, district) -> Q:
        return shared_with(district)

    def partner_writable_rows(self, district) -> Q:
        return reported_by(district)


class ThroughApplicationScope(scoping.ParentScope):
    """A record about one application: visible and writable with it."""

    parent_field = "application"


for _model in (ApplicationEvent, ApplicationMaterial, ApplicationDocument, Evaluation):
    scoping.register(_model)(
        type(f"{_model.__name__}Scope", (ThroughApplicationScope,), {})
    )


@scoping.register(EvaluationFollowUp)
class EvaluationFollowUpScope(ThroughApplicationScope):
    parent_field = "evaluation__application"


@scoping.register(OutboxMessage)
class OutboxMessageScope(scoping.Scope):
    """A message is read with the application it is about (its payload carries the
    applicant); messages about no application only by a 区级管理员. Partners never
    read our outbox: what it holds reaches them by delivery."""

    def staff_rows(self, user) -> Q:
        rows = Q(application__in=scoping.readable(Application, user).values("pk"))
        if is_district_admin(user):
            rows |= Q(application__isnull=True)
        return rows
