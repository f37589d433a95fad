"""Sensitive fields of the volunteer register (``core.sensitive``).

Who serves a volunteer: the register keeps no per-team staff accounts; teams
and their rosters are run by the 志愿服务管理员 (holders of
``volunteers.change_volunteer``), so they serve every volunteer of the teams.
Read-only staff do not.
"""

from core import sensitive
from volunteers.models import Volunteer


def serves_volunteer(user, volunteer: Volunteer) -> bool:
    return user.has_perm("volunteers.change_volunteer")


sensitive.register(
    Volunteer,
    fields={"id_number": sensitive.ID, "phone": sensitive.PHONE},
    serves=serves_volunteer,
)
