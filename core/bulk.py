"""Bulk writes under the audit triggers.

django-pghistory's and django-pgtrigger's trigger functions each open an
exception block (a subtransaction) per row; at the end of every such block
PostgreSQL walks the transaction's pending after-trigger events, and with
Django's foreign keys ``DEFERRABLE INITIALLY DEFERRED`` every inserted row adds
one to that list until COMMIT. A bulk write of n rows so costs O(n²) (issue
15: one COPY of 8,000 rows 19 s, 87% in ``AfterTriggerEndSubXact``).
``constraints_immediate`` checks the foreign keys at the end of each statement
instead, which keeps the list as short as one batch: the cost grows linearly
with the rows, batch by batch. The checks are the same, only earlier.
"""

from __future__ import annotations

import contextlib

from django.db import transaction


@contextlib.contextmanager
def constraints_immediate(using=None):
    """Inside a transaction: check deferred constraints per statement.

    ``SET CONSTRAINTS`` lasts until the end of the transaction; on leaving the
    block the constraints are deferred again (every deferrable constraint in
    this schema is a Django foreign key, initially deferred), so an enclosing
    transaction (a test's, a caller's) goes on as before.
    """
    db = transaction.get_connection(using)
    if not db.in_atomic_block:
        raise RuntimeError("constraints_immediate() needs a transaction")
    with db.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    yield
    # Not on an error: the rolled-back (sub)transaction restores the mode
    # itself, and an aborted transaction accepts no statement.
    with db.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
