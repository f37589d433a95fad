"""Who sees the volunteer register: one ``core.scoping`` scope per model.

The register belongs to the local district. Its staff (with the model
permissions: 志愿服务管理员 and 区级管理员 write, 只读 reads) work on every
branch, team and activity, so ``staff_rows`` is all of them; the shared rules of
``core.scoping.Scope`` keep everyone else out: staff of a partner district and
partner systems see nothing (404), anonymous callers nothing. Selectors, pages,
API, admin and actions all ask these scopes.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from core import scoping
from volunteers.models import (
    Activity,
    ActivityPhoto,
    AnnualPlan,
    Certificate,
    Donation,
    Membership,
    Organisation,
    Participation,
    PartyBranch,
    PlanItem,
    ServiceCategory,
    Team,
    Volunteer,
)


class RegisterScope(scoping.Scope):
    """Local staff work on the whole register; the base class keeps others out."""

    def staff_rows(self, user):
        return scoping.ALL


@scoping.register(PartyBranch)
class PartyBranchScope(RegisterScope):
    pass


@scoping.register(ServiceCategory)
class ServiceCategoryScope(RegisterScope):
    pass


@scoping.register(Organisation)
class OrganisationScope(RegisterScope):
    pass


@scoping.register(Volunteer)
class VolunteerScope(RegisterScope):
    pass


@scoping.register(Team)
class TeamScope(RegisterScope):
    pass


@scoping.register(Membership)
class MembershipScope(RegisterScope):
    pass


@scoping.register(AnnualPlan)
class AnnualPlanScope(RegisterScope):
    pass


@scoping.register(PlanItem)
class PlanItemScope(RegisterScope):
    pass


@scoping.register(Activity)
class ActivityScope(RegisterScope):
    pass


@scoping.register(ActivityPhoto)
class ActivityPhotoScope(RegisterScope):
    pass


@scoping.register(Participation)
class ParticipationScope(RegisterScope):
    pass


@scoping.register(Donation)
class DonationScope(RegisterScope):
    pass


@scoping.register(Certificate)
class CertificateScope(RegisterScope):
    pass


def may_add(user, model) -> bool:
    """Whether ``user`` may add rows of ``model``: only who may write some of them.

    The scopes say which rows a user may write; a new row has no scope yet, so
    a user whose scope writes none of the model's rows (a partner district's
    staff, a partner system, anonymous) may not add one either.
    """
    if user is None:
        return True
    return scoping.scope_for(model).writable(user) != scoping.NOTHING


def require_may_add(user, model) -> None:
    """Refuse (403) a create by someone who may write none of ``model``'s rows."""
    if not may_add(user, model):
        raise PermissionDenied
