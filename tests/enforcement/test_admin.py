"""The admin creates and edits campaigns through the actions."""

import pytest

from enforcement.models import Campaign

pytestmark = pytest.mark.django_db


def test_admin_adds_a_campaign_with_joint_departments(
    client, admin_user, zhzf, local_district
):
    from core.models import Department

    admin_user.is_staff = True
    admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    jj = Department.objects.get(district=local_district, code="JJ")
    response = client.post(
        "/admin/enforcement/campaign/add/",
        {
            "name": "占道经营专项整治",
            "lead_department": zhzf.pk,
            "area": "吉祥路",
            "start_date": "2026-01-05",
            "status": "active",
            "joint": [jj.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    campaign = Campaign.objects.get(name="占道经营专项整治")
    assert list(campaign.joint_departments.all()) == [jj]
    response = client.get(f"/admin/enforcement/campaign/{campaign.pk}/change/")
    assert response.status_code == 200
