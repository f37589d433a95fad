"""Scope (issue 11): the district counts, read-all widens reads only, natural-key
lookups and the admin go through the same scope, photos follow their record."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from core import scoping
from core.choices import Role
from core.models import Department
from enforcement import actions
from enforcement.models import (
    Case,
    EvidencePhoto,
    Patrol,
    PatrolPhoto,
    RectificationNotice,
    Subject,
)
from tests.enforcement.factories import (
    credit_code,
    days_ago,
    issue,
    make_campaign,
    make_case,
    make_patrol,
)

pytestmark = pytest.mark.django_db


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def _photo(name="a.png"):
    return SimpleUploadedFile(name, _png(), "image/png")


@pytest.fixture
def world(officer, zhzf):
    campaign = make_campaign(officer, zhzf)
    patrol = make_patrol(officer, campaign, on=days_ago(30))
    case = make_case(officer, patrol)
    return campaign, patrol, case


@pytest.fixture
def reading_officer(staff_factory, department):
    """An officer of another bureau who also holds 只读 (read-all)."""
    user = staff_factory(Role.OFFICER, department=department)
    user.groups.add(Group.objects.get(name=str(Role.READ_ONLY)))
    return user


@pytest.fixture
def partner_officer(partner_district):
    """Staff of the partner district with an officer's and a reader's roles."""
    from tests.conftest import make_staff

    bureau = Department.objects.create(
        district=partner_district, code="BHZF", name="滨海综合行政执法局"
    )
    user = make_staff(Role.OFFICER, bureau)
    user.groups.add(Group.objects.get(name=str(Role.READ_ONLY)))
    return user


# --- read-all widens reads only ---------------------------------------------


@pytest.mark.parametrize("who", ["reading_officer", "admin_user"])
def test_read_all_reads_another_bureaus_case_but_cannot_patch_it(
    who, request, world, staff_api
):
    _, _, case = world
    user = request.getfixturevalue(who)
    api = staff_api(user)
    url = f"/api/v1/enforcement/cases/{case.pk}/"
    read = api.get(url)
    assert read.status_code == 200
    assert read.json()["allowed_transitions"] == []
    response = api.patch(
        url, {"address": "别处"}, format="json", HTTP_IF_MATCH=read["ETag"]
    )
    assert response.status_code == 404
    assert response.json()["type"] == "not_found"
    case.refresh_from_db()
    assert case.address != "别处" and case.version == 1


def test_read_all_cannot_take_steps_or_add_photos_on_another_bureaus_case(
    world, reading_officer, staff_api
):
    _, patrol, case = world
    api = staff_api(reading_officer)
    url = f"/api/v1/enforcement/cases/{case.pk}/"
    cancel = api.post(
        url + "cancel/", {"reason": "误登"}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert cancel.status_code == 404
    photo = api.post(url + "photos/", {"image": _photo()}, format="multipart")
    assert photo.status_code == 404
    patrol_photo = api.post(
        f"/api/v1/patrols/{patrol.pk}/photos/", {"image": _photo()}, format="multipart"
    )
    assert patrol_photo.status_code == 404
    disposal = api.post(
        "/api/v1/disposals/",
        {
            "patrol": patrol.pk,
            "kind": "waste_pile_cleared",
            "quantity": 1,
            "disposed_on": days_ago(1).isoformat(),
        },
        format="json",
    )
    assert disposal.status_code == 400
    case.refresh_from_db()
    assert case.status == "registered"
    assert not case.photos.exists() and not patrol.photos.exists()
    assert not patrol.disposals.exists()


def test_read_all_cannot_hang_records_off_another_bureaus_campaign(
    world, reading_officer, staff_api
):
    campaign, patrol, case = world
    api = staff_api(reading_officer)
    response = api.post(
        "/api/v1/patrols/",
        {
            "campaign": campaign.pk,
            "patrol_date": days_ago(1).isoformat(),
            "place": "吉祥路",
            "officers": 3,
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "campaign"
    assert Patrol.objects.filter(campaign=campaign).count() == 1


def test_read_all_pages_offer_no_steps_and_refuse_them(client, world, reading_officer):
    _, patrol, case = world
    client.force_login(reading_officer)
    html = client.get(case.get_absolute_url()).content.decode()
    assert case.number in html
    assert 'id="verb-' not in html and 'name="image"' not in html
    response = client.post(
        reverse("enforcement:case-verb", args=[case.pk, "cancel"]),
        {"version": case.version, "reason": "误登"},
    )
    assert response.status_code == 404
    response = client.post(
        reverse("enforcement:case-photo-add", args=[case.pk]), {"image": _photo()}
    )
    assert response.status_code == 404
    assert client.get(
        reverse("enforcement:case-create", args=[patrol.pk])
    ).status_code == (404)
    case.refresh_from_db()
    assert case.status == "registered" and not case.photos.exists()


# --- the district counts ------------------------------------------------------


def test_partner_district_staff_see_nothing_and_add_no_photos(
    world, partner_officer, staff_api, client
):
    campaign, patrol, case = world
    api = staff_api(partner_officer)
    for url in (
        f"/api/v1/enforcement/cases/{case.pk}/",
        f"/api/v1/campaigns/{campaign.pk}/",
        f"/api/v1/patrols/{patrol.pk}/",
        f"/api/v1/enforcement/subjects/{case.subject_id}/",
    ):
        assert api.get(url).status_code == 404, url
    assert api.get("/api/v1/enforcement/cases/").json()["results"] == []
    response = api.post(
        f"/api/v1/enforcement/cases/{case.pk}/photos/",
        {"image": _photo()},
        format="multipart",
    )
    assert response.status_code == 404
    assert not case.photos.exists()
    client.force_login(partner_officer)
    assert client.get(case.get_absolute_url()).status_code == 404


def test_every_enforcement_model_answers_nothing_to_partner_staff(
    world, officer, partner_officer
):
    _, _, case = world
    issue(officer, case)
    for model in scoping.registered_models():
        if model._meta.app_label != "enforcement":
            continue
        assert not scoping.readable(model, partner_officer).exists(), model


# --- natural keys -----------------------------------------------------------


def test_registering_another_departments_credit_code_does_not_reveal_or_link_it(
    world, officer, staff_factory, department, staff_api, client
):
    _, _, case = world
    theirs = case.subject
    actions.subject_update(
        actor=officer,
        subject=theirs,
        expected_version=theirs.version,
        address="吉祥路88号",
        representative="孙某某",
    )
    ours = staff_factory(Role.OFFICER, department=department)
    response = staff_api(ours).post(
        "/api/v1/enforcement/subjects/",
        {
            "kind": "sole_trader",
            "name": "我方登记名",
            "credit_code": theirs.credit_code,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["id"] != theirs.pk
    assert body["name"] == "我方登记名"
    assert body["department"] == department.pk
    assert "吉祥路88号" not in str(body) and "孙某某" not in str(body)
    # the page path registers the subject and the case in one go
    campaign = make_campaign(ours, department)
    patrol = make_patrol(ours, campaign)
    client.force_login(ours)
    client.post(
        reverse("enforcement:case-create", args=[patrol.pk]),
        {
            "subject_kind": "sole_trader",
            "subject_name": "另一个名字",
            "credit_code": theirs.credit_code,
            "violation_type": "road_occupation",
            "facts": "占道",
            "address": "吉祥路",
            "registered_on": patrol.patrol_date.isoformat(),
        },
    )
    new_case = Case.objects.get(department=department)
    assert new_case.subject_id == body["id"] != theirs.pk
    assert theirs.cases.count() == 1
    # the department's own record is found again, not duplicated
    again = staff_api(ours).post(
        "/api/v1/enforcement/subjects/",
        {"kind": "sole_trader", "name": "又一次", "credit_code": theirs.credit_code},
        format="json",
    )
    assert again.json()["id"] == body["id"]
    assert Subject.objects.filter(credit_code=theirs.credit_code).count() == 2


def test_a_case_cannot_link_a_subject_the_department_does_not_work_on(
    world, staff_factory, department
):
    _, _, case = world
    ours = staff_factory(Role.OFFICER, department=department)
    patrol = make_patrol(ours, make_campaign(ours, department))
    from core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as info:
        actions.case_register(
            actor=ours,
            subject=case.subject,
            patrol=patrol,
            violation_type="road_occupation",
            facts="占道",
            address="吉祥路",
        )
    assert info.value.errors[0]["field"] == "subject"


def test_one_department_cannot_register_the_same_number_twice(officer, zhzf):
    from django.db import IntegrityError, transaction

    code = credit_code()
    Subject.objects.create(
        kind="enterprise", name="甲", credit_code=code, department=zhzf
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Subject.objects.create(
            kind="enterprise", name="乙", credit_code=code, department=zhzf
        )


# --- admin -------------------------------------------------------------------


def test_admin_lists_and_opens_only_the_users_scope(
    client, world, staff_factory, department
):
    _, _, case = world
    clerk = staff_factory(Role.OFFICER, department=department, is_staff=True)
    client.force_login(clerk)
    listing = client.get("/admin/enforcement/case/")
    assert listing.status_code == 200
    assert case.number not in listing.content.decode()
    opened = client.get(f"/admin/enforcement/case/{case.pk}/change/")
    assert opened.status_code == 302  # "does not exist" → back to the index
    assert case.number not in client.get(opened["Location"]).content.decode()
    for model in ("campaign", "patrol", "subject", "rectificationnotice", "disposal"):
        body = client.get(f"/admin/enforcement/{model}/").content.decode()
        assert case.campaign.name not in body, model
        assert case.subject.name not in body, model


def test_admin_of_the_case_department_sees_it(client, world, officer):
    _, _, case = world
    officer.is_staff = True
    officer.save()
    client.force_login(officer)
    assert case.number in client.get("/admin/enforcement/case/").content.decode()


def test_read_all_admin_opens_another_bureaus_campaign_read_only(
    client, world, admin_user
):
    campaign, _, _ = world
    admin_user.is_staff = True
    admin_user.save()
    client.force_login(admin_user)
    page = client.get(f"/admin/enforcement/campaign/{campaign.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert campaign.name in html and 'name="_save"' not in html
    response = client.post(
        f"/admin/enforcement/campaign/{campaign.pk}/change/",
        {
            "name": "改名",
            "lead_department": campaign.lead_department_id,
            "area": "别处",
            "start_date": campaign.start_date.isoformat(),
            "seen_version": campaign.version,
        },
    )
    assert response.status_code == 403
    campaign.refresh_from_db()
    assert campaign.name != "改名"


# --- photos follow their record ----------------------------------------------


def test_photos_are_readable_exactly_where_their_record_is(
    world, officer, staff_factory, department, reading_officer, client
):
    _, patrol, case = world
    evidence = actions.evidence_photo_add(actor=officer, case=case, image=_photo())
    patrol_photo = actions.patrol_photo_add(
        actor=officer, patrol=patrol, image=_photo("b.png")
    )
    outsider = staff_factory(Role.OFFICER, department=department)
    assert list(scoping.readable(EvidencePhoto, officer)) == [evidence]
    assert list(scoping.readable(PatrolPhoto, officer)) == [patrol_photo]
    assert not scoping.readable(EvidencePhoto, outsider).exists()
    assert not scoping.readable(PatrolPhoto, outsider).exists()
    assert scoping.can_read(reading_officer, evidence)
    assert not scoping.can_write(reading_officer, evidence)
    client.force_login(outsider)
    assert (
        client.get(
            reverse("enforcement:case-photo", args=[case.pk, evidence.pk])
        ).status_code
        == 404
    )
    assert (
        client.get(
            reverse("enforcement:patrol-photo", args=[patrol.pk, patrol_photo.pk])
        ).status_code
        == 404
    )


def test_notices_and_reinspections_follow_their_case(
    world, officer, staff_factory, department
):
    _, _, case = world
    notice = issue(officer, case)
    outsider = staff_factory(Role.OFFICER, department=department)
    assert scoping.can_read(officer, notice)
    assert not scoping.can_read(outsider, notice)
    assert not scoping.readable(RectificationNotice, outsider).exists()
