"""The application list at scale: no COUNT, keyset pages, a fixed number of queries.

Run: .venv/bin/python bench/applications_list.py [N]   (default N = 200 000)

Bulk-inserts N applications inside a transaction, times the API list (first page,
a filtered page, a page far down the cursor) and the staff queue page, then rolls
everything back.
"""

from __future__ import annotations

import os
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from core.actions import reference_data_load  # noqa: E402
from core.models import Department, District, User  # noqa: E402
from services.models import Application, Matter  # noqa: E402

settings.ALLOWED_HOSTS = ["*"]


class Rollback(Exception):
    pass


def timed(client, url, rounds=5):
    best, queries, status = None, None, None
    for _ in range(rounds):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - started
        best = elapsed if best is None else min(best, elapsed)
        queries, status = len(captured), response.status_code
        counts = sum("COUNT(" in q["sql"].upper() for q in captured.captured_queries)
    return best * 1000, queries, status, counts


def main(n: int) -> None:
    with transaction.atomic():
        reference_data_load()
        local = District.objects.get(kind="local")
        department = Department.objects.get(district=local, code="XZSP")
        matter = Matter.objects.filter(
            status="published"
        ).first() or Matter.objects.create(
            code="37087100SP-XK-9999",
            name="基准测试事项",
            kind="1",
            department=department,
            statutory_days=20,
            promised_days=5,
            status="published",
        )
        admin, _ = User.objects.get_or_create(
            username="bench-admin", department=department
        )
        admin.groups.add(Group.objects.get(name="区级管理员"))
        now = timezone.now()
        started = time.perf_counter()
        statuses = ["submitted", "accepted", "in_review", "approved", "closed"]
        batch = []
        for i in range(n):
            batch.append(
                Application(
                    uuid=uuid.uuid4(),
                    number=f"BENCH-{i:08d}",
                    matter=matter,
                    applicant_kind="person",
                    applicant_name="张三",
                    applicant_id_number="11010519491231002X",
                    applicant_phone="13800000000",
                    channel="window",
                    accepting_district=local,
                    home_district=local,
                    department=department,
                    intake_department=department,
                    status=statuses[i % 5],
                    submitted_at=now,
                    received_on=now.date(),
                )
            )
            if len(batch) == 20000:
                Application.objects.bulk_create(batch)
                batch = []
        Application.objects.bulk_create(batch)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE services_application")
        print(f"inserted {n} applications in {time.perf_counter() - started:.1f} s")

        client = Client()
        client.force_login(admin)
        first = client.get("/api/v1/applications/?page_size=50").json()
        deep_url = first["next"]
        for _ in range(20):  # walk 20 pages down the cursor
            deep_url = client.get(deep_url).json()["next"]
        for label, url in [
            ("API first page (50)", "/api/v1/applications/?page_size=50"),
            ("API first page (200)", "/api/v1/applications/?page_size=200"),
            ("API filtered status=in_review", "/api/v1/applications/?status=in_review"),
            ("API 21st cursor page", deep_url),
            ("queue page", "/services/applications/all/"),
        ]:
            ms, queries, status, counts = timed(client, url)
            print(
                f"{label:32s} {ms:8.1f} ms  {queries:3d} queries  COUNT: {counts}  HTTP {status}"
            )
        raise Rollback


if __name__ == "__main__":
    try:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 200_000)
    except Rollback:
        print("rolled back")
