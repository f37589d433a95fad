"""Every command of ours answers --help, in Chinese, for the operator."""

import contextlib
import io
import re

import pytest
from django.core.management import ManagementUtility, get_commands

OUR_APPS = {"core", "services", "volunteers", "enforcement"}
OUR_COMMANDS = sorted(name for name, app in get_commands().items() if app in OUR_APPS)


@pytest.mark.parametrize("name", OUR_COMMANDS)
def test_help_is_printed_in_chinese(name):
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["manage.py", name, "--help"]).execute()
    assert exit_info.value.code == 0
    description = out.getvalue().split("options:")[0]
    assert re.search(r"[\u4e00-\u9fff]", description), out.getvalue()[:300]
