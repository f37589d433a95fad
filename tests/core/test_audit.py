import pytest
from django.urls import reverse

from core.audit import actor_context, history_for
from core.models import Department


@pytest.mark.django_db
def test_save_records_who_and_before_after(department, admin_user):
    with actor_context(admin_user):
        department.short_name = "审批局"
        department.save()
    latest = history_for(department)[0]
    assert latest.label == "update"
    assert latest.changes == {"short_name": ("行政审批服务局", "审批局")}
    assert latest.user_id == admin_user.pk
    assert latest.user_name == admin_user.get_full_name()


@pytest.mark.django_db
def test_bulk_update_is_recorded_per_row(local_district):
    rows = Department.objects.filter(district=local_district)
    count = rows.count()
    rows.update(short_name="批量")
    for department in rows:
        assert history_for(department)[0].changes["short_name"][1] == "批量"
    assert count > 3


@pytest.mark.django_db
def test_delete_is_recorded(local_district):
    department = Department.objects.create(
        district=local_district, code="TMP", name="临时"
    )
    pk = department.pk
    department.delete()
    from core.models import DepartmentEvent

    labels = list(
        DepartmentEvent.objects.filter(pgh_obj_id=pk)
        .order_by("pgh_id")
        .values_list("pgh_label", flat=True)
    )
    assert labels == ["insert", "delete"]


@pytest.mark.django_db
def test_admin_history_page_shows_the_change(client, department, admin_user):
    admin_user.is_staff = True
    admin_user.save()
    client.force_login(admin_user)
    saved = client.post(
        reverse("admin:core_department_change", args=[department.pk]),
        {
            "district": department.district_id,
            "code": department.code,
            "name": department.name,
            "short_name": "审批服务局",
            "credit_code": "",
        },
    )
    assert saved.status_code == 302
    page = client.get(reverse("admin:core_department_history", args=[department.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "行政审批服务局 → 审批服务局" in text
    assert admin_user.get_full_name() in text


@pytest.mark.django_db
def test_staff_history_page_needs_view_permission(client, department, staff_factory):
    from core.choices import Role

    url = reverse("core:record-history", args=["core", "department", department.pk])
    client.force_login(staff_factory(Role.OFFICER))  # may view departments
    assert client.get(url).status_code == 200
    client.force_login(staff_factory(Role.VOLUNTEER_MANAGER, username="nohist"))
    # volunteer managers also view departments; a model they cannot view is refused:
    other = reverse("core:record-history", args=["core", "calendaroverride", 1])
    assert client.get(other).status_code in (403, 404)


@pytest.mark.django_db
def test_history_masks_ids_and_follows_the_registers_scope(client, staff_factory):
    from core.choices import Role
    from services.models import Application
    from tests.services.factories_applications import intake, make_matter

    clerk = staff_factory(Role.CLERK)
    application = intake(clerk, make_matter(clerk.department))
    url = reverse(
        "core:record-history", args=["services", "application", application.pk]
    )
    client.force_login(clerk)
    text = client.get(url).content.decode()
    assert application.applicant_id_number not in text
    assert application.applicant_id_number[:6] + "********" in text
    client.force_login(staff_factory(Role.DISTRICT_ADMIN))
    assert application.applicant_id_number in client.get(url).content.decode()
    # staff of another department may not see the application, nor its history
    from core.models import Department

    other = staff_factory(
        Role.READ_ONLY, department=Department.objects.get(code="ZHZF")
    )
    client.force_login(other)
    assert client.get(url).status_code == 404
    assert Application.objects.filter(pk=application.pk).exists()


def test_every_audited_model_has_a_scope_so_its_history_page_is_served():
    """The history page finds records only through ``core.scoping``: an audited
    model without a scope would have no history page for anyone."""
    import pghistory.models
    from django.apps import apps

    from core import scoping

    audited = {
        model.pgh_tracked_model
        for model in apps.get_models()
        if issubclass(model, pghistory.models.Event)
        and getattr(model, "pgh_tracked_model", None) is not None
    }
    unscoped = audited - set(scoping.registered_models())
    assert not unscoped, sorted(m._meta.label for m in unscoped)


def _history_url(obj):
    opts = obj._meta
    return reverse(
        "core:record-history", args=[opts.app_label, opts.model_name, obj.pk]
    )


@pytest.mark.django_db
def test_history_of_an_application_material_follows_the_applications_scope(
    client, staff_factory, other_department
):
    from core.choices import Role
    from tests.services.factories_applications import (
        intake,
        make_matter,
        upload_required,
    )

    clerk = staff_factory(Role.CLERK)
    application = intake(clerk, make_matter(clerk.department))
    upload_required(application, clerk)
    material = application.materials.first()
    client.force_login(clerk)
    assert client.get(_history_url(material)).status_code == 200
    client.force_login(
        staff_factory(Role.CLERK, department=other_department, username="outsider")
    )
    assert client.get(_history_url(material)).status_code == 404


@pytest.mark.django_db
def test_history_of_an_evidence_photo_follows_the_cases_scope(
    client, staff_factory, department, other_department, partner_district
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.choices import Role
    from enforcement.models import EvidencePhoto
    from tests.enforcement.factories import make_campaign, make_case, make_patrol
    from tests.volunteers.factories import png_bytes

    officer = staff_factory(Role.OFFICER, department=other_department)
    case = make_case(
        officer, make_patrol(officer, make_campaign(officer, other_department))
    )
    photo = EvidencePhoto.objects.create(
        case=case, image=SimpleUploadedFile("p.png", png_bytes(), "image/png")
    )
    client.force_login(officer)
    assert client.get(_history_url(photo)).status_code == 200
    partner_department = Department.objects.create(
        district=partner_district, code="ZF", name="潍坊滨海综合执法局"
    )
    for outsider in (
        staff_factory(Role.OFFICER, department=department, username="o-xzsp"),
        staff_factory(Role.OFFICER, department=partner_department, username="o-wf"),
    ):
        client.force_login(outsider)
        assert client.get(_history_url(photo)).status_code == 404


@pytest.mark.django_db
def test_history_of_a_volunteer_organisation_is_the_local_districts(
    client, staff_factory, partner_district
):
    from core.choices import Role
    from volunteers.models import Organisation

    organisation = Organisation.objects.create(name="巾帼志愿者联盟")
    client.force_login(staff_factory(Role.VOLUNTEER_MANAGER))
    assert client.get(_history_url(organisation)).status_code == 200
    partner_department = Department.objects.create(
        district=partner_district, code="DGB", name="潍坊滨海党群工作部"
    )
    client.force_login(
        staff_factory(
            Role.VOLUNTEER_MANAGER, department=partner_department, username="wf"
        )
    )
    assert client.get(_history_url(organisation)).status_code == 404


@pytest.mark.django_db
def test_history_of_a_model_without_a_scope_is_404_even_for_a_superuser(client):
    from django.contrib.auth.models import Group

    from tests.factories import UserFactory

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    group = Group.objects.create(name="probe")
    assert client.get(_history_url(group)).status_code == 404


@pytest.mark.django_db
def test_a_token_users_change_is_named_in_the_history(staff_factory):
    from rest_framework.test import APIClient

    from core.actions import staff_token_issue
    from core.choices import Role
    from tests.volunteers.factories import VolunteerFactory

    manager = staff_factory(Role.VOLUNTEER_MANAGER, last_name="刘", first_name="洋")
    issued = staff_token_issue(actor=manager, name="script")
    volunteer = VolunteerFactory()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {issued.secret}")
    response = client.patch(
        f"/api/v1/volunteers/{volunteer.pk}/",
        {"skills": "驾驶"},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert response.status_code == 200, response.json()
    latest = history_for(volunteer)[0]
    assert latest.changes["skills"][1] == "驾驶"
    assert (latest.user_id, latest.user_name) == (manager.pk, "刘洋")


@pytest.mark.django_db
def test_a_bulk_update_of_versioned_rows_needs_an_actor_and_bumps_versions(
    staff_factory,
):
    from rest_framework.test import APIClient

    from core.choices import Role
    from core.versioning import UnattributedWrite
    from tests.volunteers.factories import VolunteerFactory
    from volunteers.models import Volunteer

    manager = staff_factory(Role.VOLUNTEER_MANAGER, last_name="刘", first_name="洋")
    volunteer = VolunteerFactory()
    rows = Volunteer.objects.filter(pk=volunteer.pk)
    with pytest.raises(UnattributedWrite):
        rows.update(skills="批量")
    with actor_context(manager):
        assert rows.update(skills="批量") == 1
    volunteer.refresh_from_db()
    assert (volunteer.skills, volunteer.version) == ("批量", 2)
    latest = history_for(volunteer)[0]
    assert (latest.user_id, latest.user_name) == (manager.pk, "刘洋")
    # The ETag read before the bulk update is stale now.
    client = APIClient()
    client.force_authenticate(manager)
    stale = client.patch(
        f"/api/v1/volunteers/{volunteer.pk}/",
        {"skills": "驾驶"},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert stale.status_code == 412
