"""Factories and helpers for the enforcement tests (records made through actions)."""

from __future__ import annotations

import datetime
import itertools

from django.utils import timezone

from core.validators import credit_check_char
from enforcement import actions
from enforcement.choices import SubjectKind, ViolationType

_serial = itertools.count(1)


def credit_code() -> str:
    head = "9237080" + f"0MA3D{next(_serial):05d}"
    return head + credit_check_char(head)


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def make_campaign(actor, department, *, joint=(), name=None):
    return actions.campaign_create(
        actor=actor,
        name=name or f"专项整治{next(_serial)}",
        lead_department=department,
        joint_departments=joint,
        area="吉祥路",
        start_date=days_ago(120),
    )


def make_patrol(actor, campaign, *, officers=10, on=None):
    return actions.patrol_record(
        actor=actor,
        campaign=campaign,
        patrol_date=on or days_ago(30),
        place="吉祥路杨李村段",
        officers=officers,
        department=campaign.lead_department if campaign else None,
    )


def make_subject(actor, department=None):
    return actions.subject_register(
        actor=actor,
        kind=SubjectKind.SOLE_TRADER,
        name=f"二手车经营部{next(_serial)}",
        credit_code=credit_code(),
        department=department,
    )


def make_case(actor, patrol, *, subject=None, on=None):
    return actions.case_register(
        actor=actor,
        subject=subject or make_subject(actor, patrol.department),
        patrol=patrol,
        violation_type=ViolationType.ROAD_OCCUPATION,
        facts="占用人行道停放待售车辆",
        address="吉祥路杨李村段",
        registered_on=on or patrol.patrol_date,
        department=patrol.department,
    )


def issue(actor, case, *, issued=None, deadline=None):
    case.refresh_from_db()
    return actions.notice_issue(
        actor=actor,
        case=case,
        expected_version=case.version,
        issued_on=issued or case.registered_on,
        deadline=deadline
        or (issued or case.registered_on) + datetime.timedelta(days=7),
        requirements="将车辆移入经营场所内",
        served_to="孙某某",
    )
