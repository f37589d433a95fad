"""Who sees and changes which rows of the catalogue (core.scoping).

- Anyone, partner systems and staff of other districts read what is published:
  published matters, agreements in force with their lists (entries whose matter
  is published) and liaison officers, enabled 一件事 bundles. A partner's system
  reads its own agreements and their whole lists.
- Local staff read every agreement and bundle, the published catalogue and the
  drafts, suspended and retired matters of their own department; they change only
  their department's matters.
- Catalogue admins (``services.manage_catalogue``, the 区级管理员) read and change
  everything, agreements and bundles included.
"""

from __future__ import annotations

from django.db.models import Q

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

MANAGE_CATALOGUE = "services.manage_catalogue"


@scoping.register(Matter)
class MatterScope(scoping.Scope):
    write_all_permission = MANAGE_CATALOGUE

    def public_rows(self) -> Q:
        return Q(status=MatterStatus.PUBLISHED)

    def partner_rows(self, district) -> Q:
        return self.public_rows()

    def staff_rows(self, user) -> Q:
        return self.public_rows() | Q(department_id=user.department_id)

    def staff_writable_rows(self, user) -> Q:
        return Q(department_id=user.department_id)


@scoping.register(MatterMaterial)
class MatterMaterialScope(scoping.ParentScope):
    parent_field = "matter"


@scoping.register(Agreement)
class AgreementScope(scoping.Scope):
    write_all_permission = MANAGE_CATALOGUE

    def public_rows(self) -> Q:
        return Q(active=True)

    def partner_rows(self, district) -> Q:
        return Q(partner=district)

    def staff_writable_rows(self, user) -> Q:
        return scoping.NOTHING


@scoping.register(LiaisonOfficer)
class LiaisonOfficerScope(scoping.ParentScope):
    parent_field = "agreement"


@scoping.register(AgreementMatter)
class AgreementMatterScope(scoping.Scope):
    write_all_permission = MANAGE_CATALOGUE

    def public_rows(self) -> Q:
        return Q(agreement__active=True, matter__status=MatterStatus.PUBLISHED)

    def partner_rows(self, district) -> Q:
        return Q(agreement__partner=district)

    def staff_writable_rows(self, user) -> Q:
        return scoping.NOTHING


@scoping.register(Bundle)
class BundleScope(scoping.Scope):
    write_all_permission = MANAGE_CATALOGUE

    def public_rows(self) -> Q:
        return Q(active=True)

    def partner_rows(self, district) -> Q:
        return self.public_rows()

    def staff_writable_rows(self, user) -> Q:
        return scoping.NOTHING


@scoping.register(BundleMatter)
class BundleMatterScope(scoping.ParentScope):
    parent_field = "bundle"
