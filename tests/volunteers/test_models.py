import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from core.audit import actor_context
from volunteers.choices import TeamKind
from volunteers.models import Activity, Participation, Team, validate_image_upload

from .factories import (
    ActivityFactory,
    MembershipFactory,
    ParticipationFactory,
    VolunteerFactory,
    png_bytes,
)

pytestmark = pytest.mark.django_db


def test_database_refuses_hours_longer_than_the_activity():
    activity = ActivityFactory()  # three hours
    with pytest.raises(IntegrityError), transaction.atomic():
        Participation.objects.create(
            activity=activity, volunteer=VolunteerFactory(), hours="3.5"
        )
    assert not Participation.objects.exists()


def test_database_refuses_shortening_an_activity_below_recorded_hours():
    participation = ParticipationFactory(hours=3)
    activity = participation.activity
    with pytest.raises(IntegrityError), transaction.atomic(), actor_context(None):
        Activity.objects.filter(pk=activity.pk).update(
            ends_at=activity.starts_at + datetime.timedelta(hours=2)
        )


def test_database_refuses_a_second_participation_in_one_activity():
    participation = ParticipationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Participation.objects.create(
            activity=participation.activity, volunteer=participation.volunteer, hours=1
        )


def test_database_refuses_an_activity_ending_before_it_starts():
    activity = ActivityFactory()
    with pytest.raises(IntegrityError), transaction.atomic(), actor_context(None):
        Activity.objects.filter(pk=activity.pk).update(ends_at=activity.starts_at)


def test_database_refuses_two_current_memberships_of_one_team():
    membership = MembershipFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(team=membership.team, volunteer=membership.volunteer)


def test_a_closed_membership_may_be_followed_by_a_new_one():
    membership = MembershipFactory(left_on=datetime.date(2021, 6, 30))
    again = MembershipFactory(team=membership.team, volunteer=membership.volunteer)
    assert again.pk != membership.pk


def test_database_refuses_a_party_team_without_branch():
    with pytest.raises(IntegrityError), transaction.atomic():
        Team.objects.create(name="x", kind=TeamKind.PARTY, branch=None)


def test_volunteer_number_comes_from_the_row_id():
    volunteer = VolunteerFactory()
    assert volunteer.number == f"JK{volunteer.pk:07d}"


def test_activity_duration_in_hours():
    activity = ActivityFactory()
    assert str(activity.duration_hours) == "3.0"


def test_image_validator_accepts_png_and_refuses_text():
    validate_image_upload(SimpleUploadedFile("a.png", png_bytes(), "image/png"))
    with pytest.raises(ValidationError):
        validate_image_upload(SimpleUploadedFile("a.png", b"hello", "image/png"))


def test_image_validator_refuses_gif():
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, format="GIF")
    with pytest.raises(ValidationError) as info:
        validate_image_upload(SimpleUploadedFile("a.png", buffer.getvalue()))
    assert info.value.code == "invalid_image_type"
