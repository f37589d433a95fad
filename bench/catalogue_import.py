"""The catalogue import at 10,000 rows: dry run, first import, unchanged re-import.

Run: .venv/bin/python bench/catalogue_import.py [N] [--deferred]   (default N = 10 000)

Writes an .xlsx of N matters as a provincial portal's export looks (national
codes with every basic-code and body-code form, 14 departments, limits,
materials, 已发布), then times, each in a transaction rolled back at the end:
- ``--dry-run`` of the file (checks only; goal < 5 s),
- the import of the N new matters (goal < 10 s), with the audit rows it wrote,
- the export of the catalogue and the re-import of that export, which changes
  nothing (goal < 10 s),
and prints the queries of each. Goals live here, never in tests. Beside the
wall time it prints the CPU time of this process and of its database backend
(read from /proc): on a busy machine the wall time grows with the others' load,
the CPU times do not, and on a quiet one the wall time is about their sum.

``--deferred`` leaves the foreign keys deferred to COMMIT (Django's default)
instead of ``core.bulk.constraints_immediate``, to show what that costs with the
audit triggers on (issue 15).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from openpyxl import Workbook  # noqa: E402
from pghistory.models import Events  # noqa: E402

from core.actions import LOCAL_DEPARTMENTS, reference_data_load  # noqa: E402
from core.models import StateChange  # noqa: E402
from core.tabular import write_rows  # noqa: E402
from services.actions.catalogue_import import matters_import  # noqa: E402
from services.catalogue_files import matter_table  # noqa: E402
from services.models import Matter, MatterMaterial  # noqa: E402
from services.selectors.catalogue import matter_export_rows  # noqa: E402

HEADER = [
    "序号",
    "实施主体",
    "事项名称",
    "实施编码",
    "实施主体编码",
    "事项类型",
    "事项分组",
    "设定依据",
    "受理条件",
    "法定办结时限（工作日）",
    "承诺办结时限（工作日）",
    "到办事现场次数",
    "网办深度",
    "支持物流快递",
    "办事指南链接",
    "状态",
    "申请材料",
]
BASIC = ["511A0138{:06d}", "G-{:06d}-001", "1J-5100-{:05d}", "A-{:06d}-5818"]
BODY = ["115113010833722043", "11511301083372204", "00877868-5", "1151130108"]


class Rollback(Exception):
    pass


def write_file(path: Path, n: int) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("事项清单")
    sheet.append(["XX区政务服务事项实施清单（2026年版）"])
    sheet.append(HEADER)
    for i in range(n):
        basic = BASIC[i % 4].format(i)
        body = BODY[i % 4]
        sheet.append(
            [
                i + 1,
                LOCAL_DEPARTMENTS[i % len(LOCAL_DEPARTMENTS)][1],
                f"政务服务事项{i:05d}",
                f"{basic}-511602000000-000-{body}-1-00",
                body,
                "行政许可" if i % 3 else 20,
                ["社会保障", "市场准入", "民生服务"][i % 3],
                "《中华人民共和国行政许可法》第十二条",
                "符合法定条件的申请人",
                20,
                5,
                0,
                "全程网办",
                "是",
                f"https://zwfw.example.gov.cn/guide/{i}",
                "已发布",
                "申请书|必要|原件|1|申请人自备|\n居民身份证|必要|电子证照|1|电子证照库|",
            ]
        )
    workbook.save(path)


def backend_cpu(pid: int) -> float | None:
    """CPU seconds the database backend serving us has used (PostgreSQL on this
    machine, readable /proc), else None."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measured(label: str, **kwargs):
    """Wall time, and the CPU time of this process and of its database backend:
    on a machine busy with other work the wall time grows, the CPU times do not;
    on a quiet one the wall time is about their sum (the two work in turn)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    db = backend_cpu(pid)
    with CaptureQueriesContext(connection) as captured:
        started, cpu = time.perf_counter(), time.process_time()
        result = matters_import(actor=None, progress=False, **kwargs)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    db = backend_cpu(pid) - db if db is not None else float("nan")
    print(
        f"{label:<34} {elapsed:6.2f} s (CPU {cpu:5.2f} s + database CPU {db:5.2f} s "
        f"= {cpu + db:5.2f} s)  {len(captured):4d} queries  {result.summary()}"
    )
    return result


def main(n: int) -> None:
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    folder = Path(tempfile.mkdtemp())
    source = folder / "catalogue.xlsx"
    started = time.perf_counter()
    write_file(source, n)
    print(f"wrote {n} rows in {time.perf_counter() - started:.1f} s")
    try:
        with transaction.atomic():
            reference_data_load()
            before = Matter.objects.count()
            events = Events.objects.count()
            steps = StateChange.objects.count()
            measured(f"dry run, {n} new rows", path=source, dry_run=True)
            measured(f"import, {n} new matters", path=source)
            print(
                f"  matters +{Matter.objects.count() - before}, materials "
                f"{MatterMaterial.objects.count()}, audit events "
                f"+{Events.objects.count() - events}, workflow steps "
                f"+{StateChange.objects.count() - steps}"
            )
            exported = folder / "export.xlsx"
            started = time.perf_counter()
            header, rows = matter_table(matter_export_rows(user=None))
            write_rows(exported, header, rows)
            print(
                f"export                             {time.perf_counter() - started:6.2f} s"
            )
            events = Events.objects.count()
            measured("dry run of the export", path=exported, dry_run=True)
            measured("re-import of the unchanged export", path=exported)
            print(f"  audit events +{Events.objects.count() - events}")
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    arguments = [a for a in sys.argv[1:] if not a.startswith("--")]
    if "--deferred" in sys.argv:
        import contextlib

        import services.actions.catalogue_import as importing

        importing.constraints_immediate = contextlib.nullcontext
        print("foreign keys deferred to COMMIT")
    main(int(arguments[0]) if arguments else 10_000)
