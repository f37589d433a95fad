"""Time the volunteer demo seed and the reports on its data (goal: seed < 60 s).

Run: DJANGO_SETTINGS_MODULE=config.settings.local .venv/bin/python bench/volunteers_seed.py

Everything happens inside one transaction that is rolled back, so the database is
left as it was; the register's tables are emptied first (TRUNCATE, undone by the
rollback) so the seed runs in full even where the demo data is loaded.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from core.actions import reference_data_load  # noqa: E402
from core.models import User  # noqa: E402
from volunteers import demo, selectors  # noqa: E402


class Rollback(Exception):
    pass


def main() -> None:
    try:
        with transaction.atomic():
            reference_data_load()
            with connection.cursor() as cursor:
                cursor.execute(
                    "TRUNCATE volunteers_team, volunteers_volunteer, "
                    "volunteers_partybranch, volunteers_organisation CASCADE"
                )
            start = time.perf_counter()
            summary = demo.seed()
            print(f"seed: {time.perf_counter() - start:.1f} s — {summary}")
            user = User.objects.filter(is_superuser=True).first() or User(
                is_superuser=True, is_active=True
            )
            for name, report in (
                ("compliance", selectors.compliance_report),
                ("totals", selectors.totals_report),
            ):
                start = time.perf_counter()
                with CaptureQueriesContext(connection) as queries:
                    report(user=user, year=demo.YEAR)
                elapsed = (time.perf_counter() - start) * 1000
                print(f"{name}: {elapsed:.0f} ms, {len(queries)} queries")
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
