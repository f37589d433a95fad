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
