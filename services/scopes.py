"""Scopes of the services register (``core.scoping``).

Interim (branch eng-sensitive): only the application scope that reveal and
media serving need, following ``selectors.applications.scope_q``. The
applications engineer owns this file; on merge, their scopes replace this one.
"""

from django.db.models import Q

from core import scoping
from services.models import Application


@scoping.register(Application)
class ApplicationScope(scoping.Scope):
    def staff_rows(self, user) -> Q:
        from services.selectors.applications import scope_q

        rows = scope_q(user)
        return scoping.ALL if rows is None else rows
