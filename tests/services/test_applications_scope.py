"""One scope for applications (``services.scopes``): pages, API, admin alike; and
the status column written only by the workflow engine."""

import pytest
from django.db import InternalError, transaction
from django.urls import reverse

from core import scoping
from core.audit import actor_context
from core.choices import Role
from core.workflow import status_writes_allowed
from services.models import Application, ApplicationEvent
from tests.services.factories_applications import intake, make_matter, run

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(staff_factory):
    return staff_factory(Role.CLERK, is_staff=True)


@pytest.fixture
def app(clerk, department):
    return intake(clerk, make_matter(department))


@pytest.fixture
def theirs(staff_factory, other_department):
    other_clerk = staff_factory(Role.CLERK, department=other_department)
    return intake(other_clerk, make_matter(other_department, name="户外广告设置"))


def test_admin_lists_and_opens_only_the_bureaus_applications(
    client, clerk, app, theirs
):
    """Finding: the Django admin ignored department scope; an is_staff clerk of one
    bureau listed and opened every application."""
    client.force_login(clerk)
    page = client.get(reverse("admin:services_application_changelist"))
    assert page.status_code == 200
    assert [row.pk for row in page.context["cl"].result_list] == [app.pk]
    mine = client.get(reverse("admin:services_application_change", args=[app.pk]))
    assert mine.status_code == 200 and app.number in mine.content.decode()
    other = client.get(reverse("admin:services_application_change", args=[theirs.pk]))
    assert other.status_code == 302  # the admin's "does not exist", nothing shown
    history = client.get(
        reverse("admin:services_application_history", args=[theirs.pk])
    )
    assert theirs.number not in history.content.decode()
    events = client.get(reverse("admin:services_evaluationfollowup_changelist"))
    assert events.status_code == 200


def test_district_admin_sees_the_whole_district_in_the_admin(
    client, staff_factory, app, theirs
):
    admin = staff_factory(Role.DISTRICT_ADMIN, is_staff=True)
    client.force_login(admin)
    page = client.get(reverse("admin:services_application_changelist"))
    assert {row.pk for row in page.context["cl"].result_list} == {app.pk, theirs.pk}


def test_staff_of_a_partner_district_see_no_application(
    staff_api, staff_factory, partner_district, app
):
    department = partner_district.departments.create(code="BH", name="滨海审批局")
    outsider = staff_factory(Role.DISTRICT_ADMIN, department=department)
    client = staff_api(outsider)
    assert client.get("/api/v1/applications/").data["results"] == []
    assert client.get(f"/api/v1/applications/{app.pk}/").status_code == 404
    assert not scoping.readable(Application, outsider).exists()
    assert not scoping.readable(ApplicationEvent, outsider).exists()


def test_records_about_an_application_follow_its_scope(
    staff_factory, other_department, app
):
    outsider = staff_factory(Role.CLERK, department=other_department)
    insider = staff_factory(Role.REVIEWER)
    assert scoping.readable(ApplicationEvent, insider).filter(application=app).exists()
    assert not scoping.readable(ApplicationEvent, outsider).exists()


def test_a_read_only_user_may_read_but_not_step(staff_factory, app):
    from core.errors import IllegalTransition

    viewer = staff_factory(Role.READ_ONLY)
    assert scoping.can_read(viewer, app)
    with pytest.raises(IllegalTransition):
        run("reject", app, viewer, note="x")
    assert Application.objects.get(pk=app.pk).status == "submitted"


def test_status_column_refuses_writes_outside_the_engine(app):
    with pytest.raises(InternalError), transaction.atomic(), actor_context(None):
        Application.objects.filter(pk=app.pk).update(status="closed")
    assert Application.objects.get(pk=app.pk).status == "submitted"
    with status_writes_allowed(Application):  # data fixes say so explicitly
        with actor_context(None):
            Application.objects.filter(pk=app.pk).update(status="closed")
    assert Application.objects.get(pk=app.pk).status == "closed"


def test_bundle_parent_is_closed_by_the_engine_as_a_system_step(
    staff_factory, department
):
    from services.choices import APPLICATION_WORKFLOW
    from tests.services.factories_applications import advance, make_bundle

    admin = staff_factory(Role.DISTRICT_ADMIN)
    matters = [make_matter(department, name=n) for n in ("残疾人证办理", "护理补贴")]
    parent = intake(admin, bundle=make_bundle(matters))
    assert APPLICATION_WORKFLOW["complete_bundle"].system
    assert APPLICATION_WORKFLOW.allowed(parent, admin) == []
    for child in parent.children.all():
        advance(child, admin, "withdrawn")
    parent.refresh_from_db()
    last = parent.events.order_by("sequence").last()
    assert (parent.status, last.verb, last.actor) == ("closed", "complete_bundle", None)
    assert last.sequence == parent.last_event_sequence == 2
