"""Sensitive fields of the services register (``core.sensitive``).

Who serves an applicant on an application: the clerk who took it in
(``created_by``), the assisting staff member (帮办代办, ``proxy_staff``), anyone
who recorded one of its steps, and the implementing department's staff who may
change applications (its reviewers and window clerks). Staff of the intake
department who did not take it, and read-only staff, do not.
Liaison officers' phones are masked but not revealable (they are staff contacts
that permission holders read in full).
"""

from core import sensitive
from services.models import Application, LiaisonOfficer


def serves_application(user, application: Application) -> bool:
    if user.pk in (application.created_by_id, application.proxy_staff_id):
        return True
    if user.department_id == application.department_id and user.has_perm(
        "services.change_application"
    ):
        return True
    return application.events.filter(actor_id=user.pk).exists()


sensitive.register(
    Application,
    fields={"applicant_id_number": sensitive.ID, "applicant_phone": sensitive.PHONE},
    serves=serves_application,
)
sensitive.register(LiaisonOfficer, fields={"phone": sensitive.PHONE})
