"""Uploaded files: flags public; a photo only to staff who may read its record
(``core.scoping``); applicants' files never by path."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.choices import Role

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    for path in (
        "volunteers/flags/f.png",
        "volunteers/photos/orphan.png",
        "applications/abc/id.pdf",
    ):
        target = tmp_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(PNG)
    return tmp_path


@pytest.fixture
def activity_photo(media):
    from tests.volunteers.factories import ActivityFactory
    from volunteers.actions import categories_load
    from volunteers.models import ActivityPhoto

    categories_load()
    # Written directly: the file's bytes are not a real image.
    return ActivityPhoto.objects.create(
        activity=ActivityFactory(),
        image=SimpleUploadedFile("p.png", PNG),
    )


@pytest.fixture
def evidence(media, staff_factory, other_department):
    """An evidence photo of a case of the 综合行政执法局 (other_department)."""
    from enforcement import actions
    from tests.enforcement.factories import make_campaign, make_case, make_patrol

    officer = staff_factory(Role.OFFICER, department=other_department)
    case = make_case(
        officer, make_patrol(officer, make_campaign(officer, other_department))
    )
    photo = actions.evidence_photo_add(
        actor=officer, case=case, image=SimpleUploadedFile("e.png", PNG)
    )
    photo.officer = officer
    return photo


def test_team_flag_is_public(client, media):
    assert client.get("/media/volunteers/flags/f.png").status_code == 200


def test_activity_photo_needs_login(client, activity_photo, staff_factory):
    url = f"/media/{activity_photo.image.name}"
    assert client.get(url).status_code == 302
    client.force_login(staff_factory(Role.READ_ONLY))
    assert client.get(url).status_code == 200


def test_a_file_no_record_owns_is_not_served(client, media, staff_factory):
    client.force_login(staff_factory(Role.DISTRICT_ADMIN))
    assert client.get("/media/volunteers/photos/orphan.png").status_code == 404


def test_applicant_materials_are_never_served_by_path(client, media, staff_factory):
    client.force_login(staff_factory(Role.DISTRICT_ADMIN))
    assert client.get("/media/applications/abc/id.pdf").status_code == 404
    assert (
        client.get("/media/volunteers/flags/../../applications/abc/id.pdf").status_code
        == 404
    )


def test_photos_need_the_registers_view_permission(
    client, activity_photo, staff_factory
):
    client.force_login(staff_factory(Role.OFFICER))  # no volunteer permissions
    assert client.get(f"/media/{activity_photo.image.name}").status_code == 404


def test_evidence_photo_is_served_to_the_cases_officers(client, evidence):
    client.force_login(evidence.officer)
    assert client.get(f"/media/{evidence.image.name}").status_code == 200


def test_evidence_photo_is_404_to_an_officer_of_another_department(
    client, evidence, staff_factory, department
):
    """Issue 11: photos under /media/ were served to any officer."""
    client.force_login(staff_factory(Role.OFFICER, department=department))
    assert client.get(f"/media/{evidence.image.name}").status_code == 404
