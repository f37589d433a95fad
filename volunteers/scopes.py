"""Scopes of the volunteer register (``core.scoping``).

Interim (branch eng-sensitive): the volunteer and activity scopes that reveal
and media serving need; every local staff member sees the register, as
``selectors.may_see_register`` says. The volunteers engineer owns this file; on
merge, their scopes replace this one.
"""

from core import scoping
from volunteers.models import Activity, Volunteer


@scoping.register(Volunteer)
class VolunteerScope(scoping.Scope):
    pass


@scoping.register(Activity)
class ActivityScope(scoping.Scope):
    pass
