import datetime

import pytest
from django.core.management import call_command

from core.choices import Role
from services.models import Application
from tests.services.factories_applications import (
    at,
    intake,
    make_matter,
    run,
    upload_required,
)

pytestmark = pytest.mark.django_db


def test_check_deadlines_flags_and_is_safe_to_rerun(
    staff_factory, department, capsys, monkeypatch
):
    clerk = staff_factory(Role.CLERK)
    app = intake(clerk, make_matter(department), now=at(2026, 11, 2))
    upload_required(app, clerk)
    run("accept", app, clerk, now=at(2026, 11, 2))
    later = at(2026, 11, 20)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    call_command("check_deadlines")
    first = capsys.readouterr().out
    assert "超期 1 件" in first
    call_command("check_deadlines")
    second = capsys.readouterr().out
    assert "更新 0 件" in second
    app = Application.objects.get(pk=app.pk)
    assert app.is_overdue and app.due_date == datetime.date(2026, 11, 9)
