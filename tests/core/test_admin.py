"""The admin of other libraries' records (core.admin.SUPERUSER_ONLY_ADMIN)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from pghistory.models import Events

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_audit_events_admin_refuses_staff_even_with_its_permissions(client):
    holder = UserFactory(is_staff=True)
    holder.user_permissions.set(
        Permission.objects.filter(
            content_type=ContentType.objects.get_for_model(
                Events, for_concrete_model=False
            )
        )
    )
    assert holder.has_perm("pghistory.view_events")
    url = reverse("admin:pghistory_events_changelist")
    client.force_login(holder)
    assert client.get(url).status_code == 403
    assert url not in client.get(reverse("admin:index")).content.decode()

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get(url).status_code == 200


def test_staff_accounts_admin_follows_the_accounts_scope(
    client, staff_factory, partner_district
):
    """A 区级管理员 reads the local district's accounts in the admin, not a partner
    district's (core.scopes.UserScope, as on the history page and reveals)."""
    from core.choices import Role
    from core.models import Department

    colleague = staff_factory(Role.CLERK, username="local-clerk")
    partner_department = Department.objects.create(
        district=partner_district, code="XZSP", name="潍坊滨海行政审批服务局"
    )
    stranger = staff_factory(
        Role.CLERK, department=partner_department, username="partner-clerk"
    )
    client.force_login(
        staff_factory(Role.DISTRICT_ADMIN, is_staff=True, username="district-admin")
    )
    listing = client.get(reverse("admin:core_user_changelist"))
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "local-clerk" in html and "partner-clerk" not in html
    own = client.get(reverse("admin:core_user_change", args=[colleague.pk]))
    assert own.status_code == 200
    theirs = client.get(reverse("admin:core_user_change", args=[stranger.pk]))
    assert theirs.status_code == 302 and theirs["Location"] == reverse("admin:index")
