"""Deadline check of the enforcement register, called by ``manage.py check_deadlines``.

Turns a case overdue when its notice's deadline has passed with no passing
re-inspection, and flags open cases near or past the 90-day decision limit of
行政处罚法 art. 60. Idempotent: a second run the same day changes nothing.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import actor_context
from core.i18n import district_text
from enforcement import actions
from enforcement.choices import CaseStatus, ReinspectionOutcome
from enforcement.models import Case, Reinspection


def check(*, now) -> str:
    today = timezone.localtime(now).date()
    passed = Reinspection.objects.filter(
        notice__case=OuterRef("pk"), outcome=ReinspectionOutcome.PASSED
    )
    due = (
        Case.objects.filter(status=CaseStatus.NOTICE_ISSUED, notice__deadline__lt=today)
        .filter(~Exists(passed))
        .select_related("notice")
        .order_by("pk")
    )
    turned = 0
    with actor_context(None, source="check_deadlines"):
        for case in due:
            actions.case_mark_overdue(
                actor=None,
                case=case,
                note=district_text(
                    gettext_lazy(
                        "The rectification deadline %(deadline)s has passed with no "
                        "re-inspection confirming the rectification."
                    ),
                    deadline=case.notice.deadline,
                ),
            )
            turned += 1
        near, overdue = actions.cases_flag_decision_limit(today=today)
    return _(
        "Enforcement cases turned overdue (not rectified): %(turned)s; "
        "near the 90-day decision limit: %(near)s, past it: %(overdue)s "
        "(newly flagged)"
    ) % {"turned": turned, "near": near, "overdue": overdue}
