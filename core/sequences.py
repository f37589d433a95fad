"""Gap-free numbering shared by every register.

``next_number(scope)`` must run inside the transaction that uses the number: the
scope's row stays locked (SELECT … FOR UPDATE) until that transaction ends, so
concurrent callers queue instead of colliding, and a rollback frees the number.
"""

from __future__ import annotations

from django.db import transaction

from core.models import NumberSequence


def next_number(scope: str) -> int:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number must run inside the transaction using it")
    NumberSequence.objects.bulk_create(
        [NumberSequence(scope=scope, last=0)], ignore_conflicts=True
    )
    sequence = NumberSequence.objects.select_for_update().get(scope=scope)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return sequence.last
