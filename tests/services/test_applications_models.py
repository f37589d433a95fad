import pytest
from django.db import IntegrityError, transaction

from core.choices import Role
from services.choices import APPLICATION_WORKFLOW, ApplicationStatus
from services.models import ApplicationEvent, EvaluationFollowUp
from tests.services.factories_applications import intake, make_matter

pytestmark = pytest.mark.django_db


def test_every_status_but_closed_and_terminal_ones_has_a_way_out():
    terminal = {"closed", "withdrawn", "rejected"}
    for status in ApplicationStatus.values:
        verbs = [
            t.verb for t in APPLICATION_WORKFLOW.transitions_from(status) if t.roles
        ]
        assert bool(verbs) == (status not in terminal), status
    for transition in APPLICATION_WORKFLOW:
        assert transition.target in ApplicationStatus.values


def test_event_sequence_is_unique_per_application(staff_factory, department):
    app = intake(staff_factory(Role.CLERK), make_matter(department))
    with pytest.raises(IntegrityError), transaction.atomic():
        ApplicationEvent.objects.create(
            application=app,
            sequence=1,
            verb="x",
            to_status="submitted",
            district=app.accepting_district,
        )


def test_application_has_uuid_and_is_audited(staff_factory, department):
    app = intake(staff_factory(Role.CLERK), make_matter(department))
    assert app.uuid and app.version == 1
    assert app.audit_events.count() >= 1


def test_answered_follow_up_needs_outcome_and_answer(staff_factory, department):
    from services.actions.applications import evaluation_submit

    clerk = staff_factory(Role.CLERK)
    app = intake(clerk, make_matter(department))
    follow_up = evaluation_submit(
        actor=clerk, application=app, level=1, comment="差"
    ).follow_up
    with pytest.raises(IntegrityError), transaction.atomic():
        EvaluationFollowUp.objects.filter(pk=follow_up.pk).update(status="answered")
