"""One scope per model of the register (``volunteers.scopes``), used by pages, API
and admin: local staff see the register, a partner district's staff nothing."""

import pytest
from django.contrib import admin
from django.urls import reverse

from core import scoping
from core.admin import ScopedAdmin
from volunteers import actions
from volunteers.models import (
    Activity,
    ActivityPhoto,
    AnnualPlan,
    Certificate,
    Donation,
    Membership,
    Organisation,
    Participation,
    PartyBranch,
    PlanItem,
    ServiceCategory,
    Team,
    Volunteer,
)

from .factories import (
    BranchFactory,
    MembershipFactory,
    ParticipationFactory,
    PlanItemFactory,
    TeamFactory,
    VolunteerFactory,
    make_id_number,
)

pytestmark = pytest.mark.django_db

MODELS = [
    PartyBranch,
    ServiceCategory,
    Organisation,
    Volunteer,
    Team,
    Membership,
    AnnualPlan,
    PlanItem,
    Activity,
    ActivityPhoto,
    Participation,
    Donation,
    Certificate,
]


def test_every_model_of_the_register_has_a_scope_and_a_scoped_admin():
    for model in MODELS:
        assert scoping.scope_for(model).model is model
        if model in admin.site._registry:
            assert isinstance(admin.site._registry[model], ScopedAdmin), model
    assert all(
        isinstance(admin.site._registry[m], ScopedAdmin)
        for m in admin.site._registry
        if m._meta.app_label == "volunteers"
    )


def test_local_staff_read_everything_partner_staff_nothing(manager, partner_manager):
    MembershipFactory()
    ParticipationFactory()
    PlanItemFactory()
    for model in (PartyBranch, Team, Volunteer, Membership, AnnualPlan, Activity):
        assert scoping.readable(model, manager).exists(), model
        assert not scoping.readable(model, partner_manager).exists(), model
        assert not scoping.writable(model, partner_manager).exists(), model


@pytest.mark.parametrize(
    "path,make",
    [
        ("party-branches", BranchFactory),
        ("annual-plans", lambda: PlanItemFactory().plan),
        ("teams", TeamFactory),
    ],
)
def test_partner_staff_get_404_and_may_not_write(
    staff_api, partner_manager, path, make
):
    obj = make()
    client = staff_api(partner_manager)
    assert client.get(f"/api/v1/{path}/{obj.pk}/").status_code == 404
    assert client.get(f"/api/v1/{path}/").json()["results"] == []
    patched = client.patch(
        f"/api/v1/{path}/{obj.pk}/", {}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert patched.status_code in (404, 405)


def test_partner_staff_may_not_add_to_the_register(staff_api, partner_manager):
    client = staff_api(partner_manager)
    response = client.post(
        "/api/v1/volunteers/",
        {"name": "张三", "id_number": make_id_number()},
        format="json",
    )
    assert response.status_code == 403
    assert not Volunteer.objects.exists()
    with pytest.raises(Exception) as info:
        actions.team_create(actor=partner_manager, name="外区队", kind="social")
    assert type(info.value).__name__ == "PermissionDenied"
    assert not Team.objects.exists()


def test_partner_staff_cannot_end_a_membership_through_the_action(
    partner_manager,
):
    from core.errors import NotFound

    membership = MembershipFactory()
    with pytest.raises(NotFound):
        actions.membership_end(
            actor=partner_manager, membership=membership, expected_version=1
        )
    membership.refresh_from_db()
    assert membership.left_on is None


def test_admin_lists_only_what_the_scope_lets_the_user_read(
    client, partner_manager, manager
):
    VolunteerFactory(name="本区志愿者")
    for user in (partner_manager, manager):
        user.is_staff = True
        user.save()
    client.force_login(partner_manager)
    url = reverse("admin:volunteers_volunteer_changelist")
    response = client.get(url)
    assert response.status_code == 200
    assert "本区志愿者" not in response.content.decode()
    client.force_login(manager)
    assert "本区志愿者" in client.get(url).content.decode()
