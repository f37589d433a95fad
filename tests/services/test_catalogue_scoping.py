"""One scope for the catalogue (services.scopes_catalogue), in pages, API and admin.

The published catalogue and the 通办 lists are public; drafts are read only by
the matter's own department and catalogue admins; a department changes only its
own matters; partner-district staff read what the public reads.
"""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from core.choices import Role
from core.models import Department
from services.choices import MatterStatus
from tests.services.factories_catalogue import (
    AgreementFactory,
    MatterFactory,
    local_department,
)

pytestmark = pytest.mark.django_db

MATTERS = "/api/v1/matters/"


@pytest.fixture
def other_draft(other_department):
    """A draft of 综合执法局 (ZHZF): not the 审批局 staff's business."""
    return MatterFactory(status=MatterStatus.DRAFT, department=other_department)


def test_clerk_of_another_department_does_not_see_a_draft(
    staff_factory, staff_api, client, other_draft
):
    clerk = staff_factory(Role.CLERK)  # 审批局
    api = staff_api(clerk)
    assert api.get(f"{MATTERS}{other_draft.pk}/").status_code == 404
    assert other_draft.pk not in [r["id"] for r in api.get(MATTERS).json()["results"]]
    client.force_login(clerk)
    assert client.get(other_draft.get_absolute_url()).status_code == 404
    history = reverse(
        "core:record-history", args=["services", "matter", other_draft.pk]
    )
    assert client.get(history).status_code == 404


def test_own_department_and_catalogue_admin_see_the_draft(
    staff_factory, staff_api, other_department, other_draft, admin_user
):
    colleague = staff_factory(Role.CLERK, department=other_department)
    assert staff_api(colleague).get(f"{MATTERS}{other_draft.pk}/").status_code == 200
    assert admin_user.has_perm("services.manage_catalogue")
    assert staff_api(admin_user).get(f"{MATTERS}{other_draft.pk}/").status_code == 200


def test_read_only_role_does_not_widen_to_other_departments_drafts(
    staff_factory, staff_api, other_draft
):
    viewer = staff_factory(Role.READ_ONLY)
    assert staff_api(viewer).get(f"{MATTERS}{other_draft.pk}/").status_code == 404


def _editor(staff_factory, department=None):
    """A department's catalogue editor: may change matters, not the whole catalogue."""
    kwargs = {"department": department} if department else {}
    user = staff_factory(Role.CLERK, **kwargs)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="services",
            codename__in=["add_matter", "change_matter"],
        )
    )
    return type(user).objects.get(pk=user.pk)  # fresh permission cache


def test_editor_changes_only_matters_of_their_own_department(
    staff_factory, staff_api, other_department
):
    editor = staff_api(_editor(staff_factory))  # 审批局
    theirs = MatterFactory(department=other_department)  # published: readable
    assert editor.get(f"{MATTERS}{theirs.pk}/").status_code == 200
    refused = editor.patch(
        f"{MATTERS}{theirs.pk}/",
        {"name": "改名"},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert refused.status_code == 404
    suspend = editor.post(f"{MATTERS}{theirs.pk}/suspend/", HTTP_IF_MATCH='"1"')
    assert suspend.status_code == 404
    theirs.refresh_from_db()
    assert theirs.name != "改名"
    assert (theirs.status, theirs.version) == (MatterStatus.PUBLISHED, 1)
    ours = MatterFactory()
    done = editor.patch(
        f"{MATTERS}{ours.pk}/", {"name": "改名"}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert done.status_code == 200 and done.json()["name"] == "改名"


def test_editor_cannot_hand_a_matter_to_another_department(
    staff_factory, staff_api, other_department
):
    editor = staff_api(_editor(staff_factory))
    ours = MatterFactory()
    response = editor.patch(
        f"{MATTERS}{ours.pk}/",
        {"department": other_department.pk},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "department"
    ours.refresh_from_db()
    assert ours.department == local_department() and ours.version == 1


def test_allowed_transitions_are_empty_outside_the_write_scope(
    staff_factory, staff_api, other_department
):
    editor = staff_api(_editor(staff_factory))
    theirs = MatterFactory(department=other_department)
    ours = MatterFactory()
    rows = {r["id"]: r for r in editor.get(MATTERS).json()["results"]}
    assert rows[theirs.pk]["allowed_transitions"] == []
    assert rows[ours.pk]["allowed_transitions"] == ["suspend", "retire"]


def test_partner_district_staff_read_what_the_public_reads(
    staff_factory, staff_api, partner_district, other_draft
):
    theirs = Department.objects.create(
        district=partner_district, code="XZSP", name="潍坊滨海区行政审批服务局"
    )
    outsider = staff_api(staff_factory(Role.DISTRICT_ADMIN, department=theirs))
    published = MatterFactory()
    ids = [r["id"] for r in outsider.get(MATTERS).json()["results"]]
    assert ids == [published.pk]
    assert outsider.get(f"{MATTERS}{other_draft.pk}/").status_code == 404
    refused = outsider.patch(
        f"{MATTERS}{published.pk}/",
        {"name": "改名"},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert refused.status_code == 404


def test_partner_system_reads_published_matters_and_only_its_agreements(
    partner_api, other_partner, other_draft
):
    published = MatterFactory()
    ours = AgreementFactory(partner=partner_api.district)
    theirs = AgreementFactory(partner=other_partner)
    ids = [r["id"] for r in partner_api.get(MATTERS).json()["results"]]
    assert ids == [published.pk]
    assert partner_api.get(f"/api/v1/agreements/{ours.pk}/").status_code == 200
    assert partner_api.get(f"/api/v1/agreements/{theirs.pk}/").status_code == 404


def test_only_catalogue_admins_change_agreements(staff_factory, staff_api):
    agreement = AgreementFactory()
    user = staff_factory(Role.CLERK)
    user.user_permissions.add(
        Permission.objects.get(codename="change_agreement"),
        Permission.objects.get(codename="add_agreement"),
    )
    editor = staff_api(type(user).objects.get(pk=user.pk))
    assert editor.get(f"/api/v1/agreements/{agreement.pk}/").status_code == 200
    response = editor.patch(
        f"/api/v1/agreements/{agreement.pk}/",
        {"title": "改名"},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert response.status_code == 404


def test_admin_lists_only_what_the_user_may_read(client, staff_factory, other_draft):
    clerk = staff_factory(Role.CLERK, is_staff=True)
    own_draft = MatterFactory(status=MatterStatus.DRAFT)
    client.force_login(clerk)
    response = client.get(reverse("admin:services_matter_changelist"))
    assert response.status_code == 200
    listed = [m.pk for m in response.context["cl"].result_list]
    assert own_draft.pk in listed and other_draft.pk not in listed
    page = client.get(reverse("admin:services_matter_change", args=[other_draft.pk]))
    assert page.status_code == 302  # the admin's "does not exist" redirect


def test_liaison_phone_stays_masked_for_staff_without_the_permission(
    staff_factory, staff_api
):
    from services.models import LiaisonOfficer

    agreement = AgreementFactory()
    LiaisonOfficer.objects.create(
        agreement=agreement,
        side="local",
        name="马玉珠",
        department="审批局",
        phone="13905379812",
    )
    body = (
        staff_api(staff_factory(Role.CLERK))
        .get(f"/api/v1/agreements/{agreement.pk}/")
        .json()
    )
    assert body["liaisons"][0]["phone"] == "139****9812"
