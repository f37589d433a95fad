"""People's ID and phone numbers (issue 11): never in full to a user without the
permission, in forms, admin pages, searches or errors; revealed on one record,
with a reason, to the staff who serve the person; every reveal in the history."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from core import sensitive
from core.audit import history_for
from core.choices import Role
from core.models import Department, SensitiveReveal
from tests.services.factories_applications import intake, make_matter, person_id
from tests.volunteers.factories import VolunteerFactory, make_id_number

pytestmark = pytest.mark.django_db

PHONE = "13805371234"


@pytest.fixture
def categories(db):
    from volunteers.actions import categories_load

    categories_load()


@pytest.fixture
def manager(staff_factory, local_district):
    department = Department.objects.get(district=local_district, code="DGB")
    return staff_factory(Role.VOLUNTEER_MANAGER, department=department)


@pytest.fixture
def volunteer(categories):
    return VolunteerFactory(id_number=make_id_number(4242), phone=PHONE)


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- finding: full numbers prefilled in the edit page and admin forms ----------


def test_volunteer_edit_page_does_not_prefill_the_full_numbers(
    client, manager, volunteer
):
    client.force_login(manager)
    html = page(client.get(reverse("volunteers:volunteer-update", args=[volunteer.pk])))
    assert volunteer.id_number not in html and PHONE not in html
    assert sensitive.mask("id", volunteer.id_number) in html
    assert "138****1234" in html


def test_masked_form_round_trip_keeps_the_stored_numbers(client, manager, volunteer):
    client.force_login(manager)
    stored_id = volunteer.id_number
    response = client.post(
        reverse("volunteers:volunteer-update", args=[volunteer.pk]),
        {
            "name": volunteer.name,
            "id_number": sensitive.mask("id", stored_id),
            "phone": "138****1234",
            "is_party_member": "on",
            "version": volunteer.version,
            "skills": "急救",
            "interests": "",
        },
    )
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.skills == "急救"
    assert volunteer.id_number == stored_id and volunteer.phone == PHONE


def test_a_new_full_number_typed_into_the_masked_form_replaces_the_old(
    client, manager, volunteer
):
    client.force_login(manager)
    new_id = make_id_number(777)
    client.post(
        reverse("volunteers:volunteer-update", args=[volunteer.pk]),
        {
            "name": volunteer.name,
            "id_number": new_id,
            "phone": "138****1234",
            "is_party_member": "on",
            "version": volunteer.version,
        },
    )
    volunteer.refresh_from_db()
    assert volunteer.id_number == new_id and volunteer.phone == PHONE


def test_holder_of_the_permission_sees_the_full_numbers_in_the_form(
    client, admin_user, volunteer
):
    client.force_login(admin_user)
    html = page(client.get(reverse("volunteers:volunteer-update", args=[volunteer.pk])))
    assert volunteer.id_number in html and PHONE in html


def test_admin_change_form_masks_and_keeps_the_stored_numbers(
    client, manager, volunteer
):
    manager.is_staff = True
    manager.save()
    client.force_login(manager)
    url = reverse("admin:volunteers_volunteer_change", args=[volunteer.pk])
    html = page(client.get(url))
    assert volunteer.id_number not in html and PHONE not in html
    stored_id = volunteer.id_number
    response = client.post(
        url,
        {
            "name": volunteer.name,
            "id_number": sensitive.mask("id", stored_id),
            "phone": "138****1234",
            "is_party_member": "on",
            "version": volunteer.version,
            "skills": "驾驶",
            "interests": "",
            "registered_on": "",
            "version_seen": volunteer.version,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    volunteer.refresh_from_db()
    assert volunteer.skills == "驾驶"
    assert volunteer.id_number == stored_id and volunteer.phone == PHONE


def test_admin_view_only_page_shows_the_numbers_masked(
    client, staff_factory, volunteer
):
    viewer = staff_factory(Role.READ_ONLY, is_staff=True)
    client.force_login(viewer)
    html = page(
        client.get(reverse("admin:volunteers_volunteer_change", args=[volunteer.pk]))
    )
    assert volunteer.id_number not in html and PHONE not in html
    assert sensitive.mask("id", volunteer.id_number) in html


def test_admin_search_by_full_id_needs_the_permission(client, manager, volunteer):
    manager.is_staff = True
    manager.save()
    client.force_login(manager)
    url = reverse("admin:volunteers_volunteer_changelist")
    html = page(client.get(url, {"q": volunteer.id_number}))
    assert volunteer.name not in html


def test_admin_agreement_page_masks_liaison_phones(client, staff_factory):
    from services.models import LiaisonOfficer
    from tests.services.factories_catalogue import AgreementFactory

    agreement = AgreementFactory()
    LiaisonOfficer.objects.create(
        agreement=agreement,
        side="local",
        name="马玉珠",
        department="行政审批服务局",
        phone="13905379812",
    )
    clerk = staff_factory(Role.CLERK, is_staff=True)
    client.force_login(clerk)
    html = page(
        client.get(reverse("admin:services_agreement_change", args=[agreement.pk]))
    )
    assert "马玉珠" in html
    assert "13905379812" not in html and "139****9812" in html


def test_admin_user_form_masks_the_staff_phone(client, staff_factory, department):
    editor = staff_factory(Role.CLERK, is_staff=True, username="editor")
    editor.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_user", "change_user"])
    )
    other = staff_factory(Role.CLERK, phone="13512345678", username="other")
    client.force_login(editor)
    html = page(client.get(reverse("admin:core_user_change", args=[other.pk])))
    assert "13512345678" not in html and "135****5678" in html


def test_membership_import_errors_do_not_echo_the_full_id(categories):
    from core.errors import DomainError
    from core.tabular import Row
    from tests.volunteers.factories import TeamFactory
    from volunteers.actions import memberships_import

    unknown = make_id_number(31337)
    team = TeamFactory()
    row = Row(
        2,
        {
            "id_number": unknown,
            "team": team.name,
            "role": "",
            "joined_on": "2026-01-05",
            "left_on": "",
        },
    )
    with pytest.raises(DomainError) as raised:
        memberships_import(actor=None, rows=[row])
    text = str(raised.value) + str(raised.value.errors)
    assert unknown not in text and sensitive.mask("id", unknown) in text


def test_api_write_back_of_the_masked_number_keeps_the_stored_one(
    staff_api, manager, volunteer
):
    api = staff_api(manager)
    url = f"/api/v1/volunteers/{volunteer.pk}/"
    read = api.get(url)
    assert read.status_code == 200
    body = read.json()
    assert body["id_number"] == sensitive.mask("id", volunteer.id_number)
    response = api.patch(
        url,
        {"id_number": body["id_number"], "phone": body["phone"], "skills": "摄影"},
        format="json",
        HTTP_IF_MATCH=read["ETag"],
    )
    assert response.status_code == 200, response.json()
    volunteer.refresh_from_db()
    assert volunteer.skills == "摄影"
    assert volunteer.id_number == make_id_number(4242) and volunteer.phone == PHONE


# --- finding: an exact full-ID search recovered a masked ID --------------------


def test_api_search_by_full_id_is_refused_without_the_permission(
    staff_api, manager, volunteer
):
    response = staff_api(manager).get("/api/v1/volunteers/", {"q": volunteer.id_number})
    assert response.status_code == 400
    body = response.json()
    assert body["type"] == "validation_error"
    assert [e["field"] for e in body["errors"]] == ["q"]
    assert volunteer.id_number not in response.content.decode()


@pytest.mark.parametrize(
    "query", [PHONE, "91370800MA3C00001X", "370802199001011234", "0537-2345678"]
)
def test_every_list_refuses_a_full_number_query(staff_api, admin_user, query):
    clerk_api = staff_api(admin_user)
    assert clerk_api.get("/api/v1/applications/", {"q": "张"}).status_code == 200
    from tests.conftest import make_staff

    clerk = make_staff(Role.CLERK, admin_user.department)
    response = staff_api(clerk).get("/api/v1/applications/", {"q": query})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "q"


def test_list_page_search_by_full_id_shows_a_form_error(client, manager, volunteer):
    client.force_login(manager)
    html = page(
        client.get(reverse("volunteers:volunteer-list"), {"q": volunteer.id_number})
    )
    assert volunteer.name not in html
    assert str(sensitive.SEARCH_REFUSED) in html


def test_partial_id_search_does_not_match(staff_api, manager, volunteer):
    response = staff_api(manager).get(
        "/api/v1/volunteers/", {"q": volunteer.id_number[:10]}
    )
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_holder_of_the_permission_may_search_by_full_id(
    staff_api, admin_user, volunteer
):
    response = staff_api(admin_user).get(
        "/api/v1/volunteers/", {"q": volunteer.id_number}
    )
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [volunteer.pk]


def test_what_counts_as_a_full_number():
    assert sensitive.looks_sensitive("370802199001011234")
    assert sensitive.looks_sensitive("37080219900101123x")
    assert sensitive.looks_sensitive("138 0537 1234")
    assert sensitive.looks_sensitive("91370800MA3C00001X")
    assert not sensitive.looks_sensitive("370871-20261124-00001")  # 办件编号
    assert not sensitive.looks_sensitive("张秀英")
    assert not sensitive.looks_sensitive("3708021990")


# --- reveal -------------------------------------------------------------------


@pytest.fixture
def application(staff_factory, department):
    clerk = staff_factory(Role.CLERK, username="intake-clerk")
    matter = make_matter(department)
    application = intake(clerk, matter, applicant_phone=PHONE)
    application.clerk = clerk
    return application


def reveal_url(obj, field):
    opts = obj._meta
    return reverse("core:reveal", args=[opts.app_label, opts.model_name, obj.pk, field])


def test_intake_clerk_reveals_the_id_and_it_is_logged_in_the_history(
    client, application
):
    clerk = application.clerk
    client.force_login(clerk)
    detail = page(
        client.get(reverse("services:application-detail", args=[application.pk]))
    )
    assert person_id() not in detail
    assert reveal_url(application, "applicant_id_number") in detail

    response = client.post(
        reveal_url(application, "applicant_id_number"),
        {"reason": "核验申请人身份"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200
    assert response.json()["value"] == person_id()
    logged = SensitiveReveal.objects.get()
    assert (logged.user, logged.field_name, logged.reason) == (
        clerk,
        "applicant_id_number",
        "核验申请人身份",
    )
    entry = history_for(application, user=clerk)[0]
    assert entry.label == "reveal" and entry.user_id == clerk.pk
    assert entry.data["reason"] == "核验申请人身份"
    history = page(
        client.get(
            reverse(
                "core:record-history",
                args=["services", "application", application.pk],
            )
        )
    )
    assert "核验申请人身份" in history and person_id() not in history


def test_a_reveal_is_a_security_event_in_the_log(client, application, caplog):
    import logging

    client.force_login(application.clerk)
    with caplog.at_level(logging.INFO, logger="security"):
        client.post(
            reveal_url(application, "applicant_id_number"), {"reason": "核验身份"}
        )
    lines = [r.getMessage() for r in caplog.records if r.name == "security"]
    assert lines == [
        f"security event=reveal user=intake-clerk user_id={application.clerk.pk} "
        f"record=services.application:{application.pk} field=applicant_id_number"
    ]


def test_reveal_without_script_answers_a_page(client, application):
    client.force_login(application.clerk)
    html = page(
        client.post(
            reveal_url(application, "applicant_phone"), {"reason": "电话联系补正"}
        )
    )
    assert PHONE in html


def test_reveal_needs_a_reason(client, application):
    client.force_login(application.clerk)
    response = client.post(
        reveal_url(application, "applicant_id_number"),
        {"reason": "  "},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400
    assert not SensitiveReveal.objects.exists()


def test_reveal_is_404_for_another_departments_staff(
    client, staff_factory, other_department, application
):
    client.force_login(staff_factory(Role.CLERK, department=other_department))
    response = client.post(
        reveal_url(application, "applicant_id_number"), {"reason": "好奇"}
    )
    assert response.status_code == 404
    assert not SensitiveReveal.objects.exists()


def test_reveal_is_403_for_staff_who_do_not_serve_the_record(
    client, staff_factory, application
):
    viewer = staff_factory(Role.READ_ONLY, username="same-department-viewer")
    client.force_login(viewer)
    detail = page(
        client.get(reverse("services:application-detail", args=[application.pk]))
    )
    assert reveal_url(application, "applicant_id_number") not in detail
    response = client.post(
        reveal_url(application, "applicant_id_number"), {"reason": "查看"}
    )
    assert response.status_code == 403
    assert not SensitiveReveal.objects.exists()


def test_reveal_api_answers_the_value_and_logs_it(staff_api, application):
    api = staff_api(application.clerk)
    body = {
        "record": "services.application",
        "id": application.pk,
        "field": "applicant_phone",
        "reason": "联系申请人",
    }
    response = api.post("/api/v1/reveals/", body, format="json")
    assert response.status_code == 200
    assert response.json()["value"] == PHONE
    assert SensitiveReveal.objects.filter(field_name="applicant_phone").count() == 1


def test_reveal_api_refuses_non_serving_and_invisible_callers(
    staff_api, staff_factory, other_department, application
):
    body = {
        "record": "services.application",
        "id": application.pk,
        "field": "applicant_id_number",
        "reason": "查看",
    }
    viewer = staff_factory(Role.READ_ONLY, username="viewer")
    outsider = staff_factory(Role.CLERK, department=other_department)
    refused = staff_api(viewer).post("/api/v1/reveals/", body, format="json")
    assert refused.status_code == 403
    assert refused.json()["type"] == "permission_denied"
    hidden = staff_api(outsider).post("/api/v1/reveals/", body, format="json")
    assert hidden.status_code == 404
    bad_field = staff_api(application.clerk).post(
        "/api/v1/reveals/", {**body, "field": "applicant_name"}, format="json"
    )
    assert bad_field.status_code == 400
    assert not SensitiveReveal.objects.exists()


def test_reveal_endpoint_is_in_the_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert "/api/v1/reveals/" in schema.content.decode()


def test_volunteer_manager_reveals_a_volunteers_id_viewer_may_not(
    client, manager, staff_factory, volunteer
):
    client.force_login(manager)
    detail = page(
        client.get(reverse("volunteers:volunteer-detail", args=[volunteer.pk]))
    )
    assert volunteer.id_number not in detail
    assert reveal_url(volunteer, "id_number") in detail
    response = client.post(
        reveal_url(volunteer, "id_number"),
        {"reason": "开具志愿服务证明"},
        HTTP_ACCEPT="application/json",
    )
    assert response.json()["value"] == volunteer.id_number
    client.force_login(staff_factory(Role.READ_ONLY))
    assert (
        client.post(reveal_url(volunteer, "id_number"), {"reason": "x"}).status_code
        == 403
    )


def test_admin_history_shows_the_reveal(client, staff_factory, manager, volunteer):
    sensitive.reveal(user=manager, obj=volunteer, field="phone", reason="通知集合")
    admin = staff_factory(Role.DISTRICT_ADMIN, is_staff=True, username="root")
    client.force_login(admin)
    html = page(
        client.get(reverse("admin:volunteers_volunteer_history", args=[volunteer.pk]))
    )
    assert "通知集合" in html


def test_case_officer_reveals_the_subject_others_may_not(
    client, staff_factory, other_department, department
):
    from enforcement.choices import SubjectKind
    from tests.enforcement.factories import make_campaign, make_case, make_patrol

    officer = staff_factory(Role.OFFICER, department=other_department)
    campaign = make_campaign(officer, other_department)
    patrol = make_patrol(officer, campaign)
    from enforcement import actions

    subject = actions.subject_register(
        actor=officer,
        kind=SubjectKind.INDIVIDUAL,
        name="孙某某",
        id_number=person_id("19800202", "456"),
        phone=PHONE,
        department=other_department,
    )
    case = make_case(officer, patrol, subject=subject)
    client.force_login(officer)
    detail = page(client.get(reverse("enforcement:case-detail", args=[case.pk])))
    assert subject.id_number not in detail and PHONE not in detail
    response = client.post(
        reveal_url(subject, "id_number"),
        {"reason": "送达整改通知书"},
        HTTP_ACCEPT="application/json",
    )
    assert response.json()["value"] == subject.id_number

    stranger = staff_factory(Role.OFFICER, department=department, username="o2")
    client.force_login(stranger)
    assert (
        client.post(reveal_url(subject, "id_number"), {"reason": "x"}).status_code
        == 404
    )
    reader = staff_factory(Role.READ_ONLY, username="reader")
    client.force_login(reader)
    assert (
        client.post(reveal_url(subject, "id_number"), {"reason": "x"}).status_code
        == 403
    )
    assert SensitiveReveal.objects.count() == 1


def test_district_admin_reveals_a_staff_members_phone(client, staff_factory):
    """Staff accounts have a scope like every record: the reveal works (it was a
    500 when ``core.User`` had none)."""
    colleague = staff_factory(Role.CLERK, phone=PHONE, username="colleague")
    client.force_login(staff_factory(Role.DISTRICT_ADMIN, username="district-admin"))
    response = client.post(
        reveal_url(colleague, "phone"),
        {"reason": "联系同事"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200
    assert response.json()["value"] == PHONE
    assert SensitiveReveal.objects.get().object_id == colleague.pk


def test_staff_phone_reveal_is_403_without_the_permission_whether_or_not_it_exists(
    client, staff_factory, other_department
):
    colleague = staff_factory(Role.CLERK, phone=PHONE, username="colleague")
    client.force_login(
        staff_factory(Role.OFFICER, department=other_department, username="officer")
    )
    real = client.post(reveal_url(colleague, "phone"), {"reason": "x"})
    ghost = client.post(
        reverse("core:reveal", args=["core", "user", 987654321, "phone"]),
        {"reason": "x"},
    )
    assert (real.status_code, ghost.status_code) == (403, 403)
    assert not SensitiveReveal.objects.exists()


def test_staff_phone_reveal_is_404_for_a_partner_districts_admin(
    client, staff_factory, partner_district
):
    colleague = staff_factory(Role.CLERK, phone=PHONE, username="colleague")
    partner_department = Department.objects.create(
        district=partner_district, code="XZSP", name="潍坊滨海行政审批服务局"
    )
    client.force_login(
        staff_factory(
            Role.DISTRICT_ADMIN, department=partner_department, username="wf-admin"
        )
    )
    response = client.post(reveal_url(colleague, "phone"), {"reason": "x"})
    assert response.status_code == 404
    assert not SensitiveReveal.objects.exists()


def test_reveal_api_is_for_staff_only(api_client, partner_api, application):
    body = {
        "record": "services.application",
        "id": application.pk,
        "field": "applicant_phone",
        "reason": "查看",
    }
    assert api_client.post("/api/v1/reveals/", body, format="json").status_code == 401
    assert partner_api.post("/api/v1/reveals/", body, format="json").status_code == 401
    assert not SensitiveReveal.objects.exists()


def test_every_api_list_with_a_search_refuses_a_full_number(staff_api, department):
    """Generated from the router: a list whose FilterSet has ``q`` cannot be
    added without the guard (it comes with the default filter backend)."""
    from config.api import router
    from tests.factories import UserFactory

    reader = UserFactory(department=department)
    reader.user_permissions.add(
        *Permission.objects.filter(codename__startswith="view_").exclude(
            codename="view_sensitive_data"
        )
    )
    api = staff_api(reader)
    checked = []
    for prefix, viewset, _basename in router.registry:
        filterset = getattr(viewset, "filterset_class", None)
        if filterset is None or "q" not in filterset.base_filters:
            continue
        url = f"/api/v1/{prefix}/"
        response = api.get(url, {"q": "370802199001011234"})
        assert response.status_code == 400, (url, response.status_code)
        assert response.json()["errors"][0]["field"] == "q"
        checked.append(url)
    assert {"/api/v1/volunteers/", "/api/v1/applications/"} <= set(checked)
