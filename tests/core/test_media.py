"""Uploaded files: flags public, photos for staff, applicants' files never by path."""

import pytest

from core.choices import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    for path in (
        "volunteers/flags/f.png",
        "volunteers/photos/p.png",
        "applications/abc/id.pdf",
    ):
        target = tmp_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(b"\x89PNG\r\n\x1a\n")
    return tmp_path


def test_team_flag_is_public(client, media):
    assert client.get("/media/volunteers/flags/f.png").status_code == 200


def test_activity_photo_needs_login(client, media, staff_factory):
    assert client.get("/media/volunteers/photos/p.png").status_code == 302
    client.force_login(staff_factory(Role.READ_ONLY))
    assert client.get("/media/volunteers/photos/p.png").status_code == 200


def test_applicant_materials_are_never_served_by_path(client, media, staff_factory):
    client.force_login(staff_factory(Role.DISTRICT_ADMIN))
    assert client.get("/media/applications/abc/id.pdf").status_code == 404
    assert (
        client.get("/media/volunteers/flags/../../applications/abc/id.pdf").status_code
        == 404
    )


def test_photos_need_the_registers_view_permission(client, media, staff_factory):
    client.force_login(staff_factory(Role.OFFICER))  # no volunteer permissions
    assert client.get("/media/volunteers/photos/p.png").status_code == 404
