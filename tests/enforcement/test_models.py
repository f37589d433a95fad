"""Rules the database keeps by itself, and the audit of joint departments."""

import datetime

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction

from core.audit import actor_context
from core.models import Department
from core.workflow import status_writes_allowed
from enforcement import actions
from enforcement.models import Case, RectificationNotice, Subject
from tests.enforcement.factories import issue, make_campaign, make_case, make_patrol

pytestmark = pytest.mark.django_db


def test_a_business_subject_needs_a_credit_code(zhzf):
    with pytest.raises(IntegrityError), transaction.atomic():
        Subject.objects.create(kind="enterprise", name="某公司", department=zhzf)


def test_a_notice_deadline_cannot_precede_its_issue(officer, zhzf):
    case = make_case(officer, make_patrol(officer, make_campaign(officer, zhzf)))
    notice = issue(officer, case)
    with pytest.raises(IntegrityError), transaction.atomic(), actor_context(None):
        RectificationNotice.objects.filter(pk=notice.pk).update(
            deadline=notice.issued_on - datetime.timedelta(days=1)
        )


def test_a_cancelled_case_keeps_its_reason(officer, zhzf):
    case = make_case(officer, make_patrol(officer, make_campaign(officer, zhzf)))
    with (
        pytest.raises(IntegrityError),
        status_writes_allowed(Case),
        transaction.atomic(),
    ):
        with actor_context(None):
            Case.objects.filter(pk=case.pk).update(status="cancelled", cancel_reason="")


def test_joint_departments_joining_and_leaving_are_recorded(
    officer, zhzf, local_district
):
    campaign = make_campaign(officer, zhzf)
    jj = Department.objects.get(district=local_district, code="JJ")
    swj = Department.objects.get(district=local_district, code="SWJ")
    campaign = actions.campaign_update(
        actor=officer,
        campaign=campaign,
        expected_version=campaign.version,
        joint_departments=[jj],
    )
    actions.campaign_update(
        actor=officer,
        campaign=campaign,
        expected_version=campaign.version,
        joint_departments=[swj],
    )
    events = apps.get_model("enforcement", "CampaignJointDepartmentEvent").objects
    labels = sorted(
        (e.pgh_label, e.department_id) for e in events.filter(campaign=campaign)
    )
    assert labels == sorted([("insert", jj.pk), ("delete", jj.pk), ("insert", swj.pk)])


def test_case_str_and_url(officer, zhzf):
    case = make_case(officer, make_patrol(officer, make_campaign(officer, zhzf)))
    assert str(case) == case.number
    assert case.get_absolute_url() == f"/enforcement/cases/{case.pk}/"
