"""Sensitive fields of the enforcement register (``core.sensitive``).

Who serves a 当事人: officers (holders of ``enforcement.change_case``) of the
department that registered the subject or handles one of its cases. Officers of
a joint campaign's other departments and read-only staff see the record but do
not serve the person.
"""

from core import sensitive
from enforcement.models import Subject


def serves_subject(user, subject: Subject) -> bool:
    if not user.department_id or not user.has_perm("enforcement.change_case"):
        return False
    if subject.department_id == user.department_id:
        return True
    return subject.cases.filter(department_id=user.department_id).exists()


sensitive.register(
    Subject,
    fields={
        "id_number": sensitive.ID,
        "credit_code": sensitive.ID,
        "phone": sensitive.PHONE,
    },
    serves=serves_subject,
)
