"""load_reference_data: the district, its departments and roles, and a first
superuser created once with a password printed once."""

import io
import re

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from core.models import User

pytestmark = pytest.mark.django_db


def _run() -> str:
    out = io.StringIO()
    call_command("load_reference_data", stdout=out)
    return out.getvalue()


def test_first_superuser_is_created_once_in_the_approval_bureau():
    first = _run()
    password = re.search(r"初始密码：(\S+?)（", first).group(1)
    admin = User.objects.get(is_superuser=True)
    request = RequestFactory().post("/accounts/login/")  # the lockout needs one
    assert authenticate(request, username="admin", password=password) == admin
    assert admin.department.short_name == "行政审批服务局"

    again = _run()
    assert "初始密码" not in again
    assert User.objects.filter(is_superuser=True).count() == 1
