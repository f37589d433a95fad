"""Demo data: the 2021 used-car-market campaign on 吉祥路 (shared/seed-news-page.txt).

经开区综合行政执法局执法一大队, with 交警大队, 市场监管分局 and 商务局, cleared the
二手车交易点 of 杨李村 along 吉祥路: 300余人次 dispatched, 10余份 notices, 80余处
waste piles and 50余辆 vehicles cleared. Everything is written through actions,
so the figures on the campaign page are computed from these records. Rerunning
finds the campaign and adds nothing.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from core.audit import actor_context
from core.choices import DistrictKind
from core.models import Department, User
from core.validators import credit_check_char, id_check_char
from enforcement import actions
from enforcement.choices import (
    DisposalKind,
    PatrolMethod,
    ReinspectionOutcome,
    ServiceMethod,
    SubjectKind,
    ViolationType,
)
from enforcement.models import Campaign

CAMPAIGN_NAME = "吉祥路二手车市场集中整治行动"
AREA = "杨李村及其周边、吉祥路两侧二手车交易点"
DESCRIPTION = (
    "依法对二手车市场占道经营行为、无序堆放拆解车辆废弃物等现象进行全面整治："
    "通过车辆广播、标语条幅等形式宣传劝导，引导业主自行将占道停放的二手车移除；"
    "向二手车交易市场、经营商户发出整改通知，要求限期整改；对拒不整改、整改不到位的"
    "乱停乱放报废机动车依法清除。联合交警、市场监管、商务部门开展多部门联合执法集中清理。"
)
START = datetime.date(2021, 6, 1)
END = datetime.date(2021, 7, 31)
JOINT = ["JJ", "SCJG", "SWJ"]

B, P, L = PatrolMethod.BROADCAST, PatrolMethod.PERSUASION, PatrolMethod.BANNER
J = PatrolMethod.JOINT
# (day offset from START, place, officers, vehicles, methods, joint?, waste piles, owner-moved)
PATROLS = [
    (0, "吉祥路杨李村段", 12, 3, [B, L, P], False, 0, 0),
    (2, "吉祥路北段", 12, 3, [B, P], False, 3, 2),
    (4, "杨李村二手车交易点", 13, 3, [B, L, P], False, 4, 3),
    (7, "吉祥路杨李村段", 12, 3, [B, P], False, 5, 2),
    (9, "吉祥路南段", 14, 4, [B, P], False, 4, 1),
    (11, "杨李村及周边", 28, 8, [B, L, P, J], True, 8, 4),
    (14, "吉祥路杨李村段", 12, 3, [P], False, 4, 2),
    (16, "吉祥路北段", 12, 3, [B, P], False, 3, 1),
    (18, "杨李村二手车交易点", 13, 3, [B, P], False, 5, 2),
    (21, "吉祥路南段", 12, 3, [P], False, 3, 1),
    (23, "吉祥路杨李村段", 12, 3, [B, P], False, 4, 2),
    (25, "杨李村及周边", 30, 9, [B, L, P, J], True, 9, 4),
    (28, "吉祥路北段", 12, 3, [P], False, 3, 1),
    (30, "杨李村二手车交易点", 12, 3, [B, P], False, 4, 1),
    (32, "吉祥路南段", 12, 3, [P], False, 3, 1),
    (35, "吉祥路杨李村段", 13, 3, [B, P], False, 4, 2),
    (39, "杨李村及周边", 26, 8, [B, P, J], True, 6, 2),
    (42, "吉祥路北段", 12, 3, [P], False, 2, 0),
    (46, "吉祥路杨李村段", 12, 3, [B, P], False, 2, 1),
    (50, "吉祥路全线", 12, 3, [P], False, 2, 0),
    (55, "吉祥路全线", 12, 3, [B, P], False, 2, 0),
]

# name, kind, representative, address tail
SUBJECTS = [
    (
        "济宁经济技术开发区鑫源二手车经营部",
        SubjectKind.SOLE_TRADER,
        "孙某某",
        "吉祥路杨李村段东侧",
    ),
    (
        "济宁经济技术开发区顺达二手车行",
        SubjectKind.SOLE_TRADER,
        "李某某",
        "吉祥路杨李村段西侧",
    ),
    ("济宁恒通二手车经纪有限公司", SubjectKind.ENTERPRISE, "王某某", "吉祥路北段"),
    (
        "济宁经济技术开发区宏发汽车信息咨询服务部",
        SubjectKind.SOLE_TRADER,
        "赵某某",
        "杨李村村西",
    ),
    (
        "济宁经济技术开发区诚信二手车经营部",
        SubjectKind.SOLE_TRADER,
        "刘某某",
        "吉祥路南段",
    ),
    ("济宁运通汽车销售服务有限公司", SubjectKind.ENTERPRISE, "陈某某", "吉祥路北段"),
    (
        "济宁经济技术开发区路路通二手车行",
        SubjectKind.SOLE_TRADER,
        "周某某",
        "杨李村村南",
    ),
    (
        "济宁经济技术开发区广源汽车拆解回收部",
        SubjectKind.SOLE_TRADER,
        "吴某某",
        "杨李村村北",
    ),
    (
        "济宁经济技术开发区永盛二手车经营部",
        SubjectKind.SOLE_TRADER,
        "郑某某",
        "吉祥路杨李村段",
    ),
    ("济宁利达二手车交易市场有限公司", SubjectKind.ENTERPRISE, "冯某某", "吉祥路南段"),
    ("杨某某", SubjectKind.INDIVIDUAL, "", "杨李村"),
    ("马某某", SubjectKind.INDIVIDUAL, "", "杨李村"),
]

# subject index, patrol index, violation, facts, outcome, towed/cleared quantity
# outcome: on_time / on_time_closed / enforced / enforced_closed / cancelled
CASES = [
    (
        0,
        1,
        ViolationType.ROAD_OCCUPATION,
        "将待售二手车辆停放于门前人行道经营，占用人行道约60平方米",
        "on_time_closed",
        0,
    ),
    (
        1,
        1,
        ViolationType.ROAD_OCCUPATION,
        "将待售二手车辆停放于吉祥路非机动车道，影响通行",
        "on_time_closed",
        0,
    ),
    (
        2,
        2,
        ViolationType.ILLEGAL_PARKING,
        "十余辆待售车辆沿吉祥路路边无序停放",
        "on_time_closed",
        0,
    ),
    (
        3,
        2,
        ViolationType.WASTE_PILING,
        "在经营场所外无序堆放拆解车辆废弃物（轮胎、车壳）",
        "enforced_closed",
        0,
    ),
    (
        4,
        3,
        ViolationType.ROAD_OCCUPATION,
        "占用吉祥路人行道停放待售车辆",
        "on_time_closed",
        0,
    ),
    (
        5,
        4,
        ViolationType.ILLEGAL_PARKING,
        "待售车辆停放于吉祥路机动车道边缘",
        "on_time",
        0,
    ),
    (
        6,
        4,
        ViolationType.SCRAP_VEHICLE,
        "在杨李村村南路边长期停放报废机动车",
        "enforced_closed",
        5,
    ),
    (
        7,
        5,
        ViolationType.WASTE_PILING,
        "在路边堆放拆解车辆废弃物并露天拆解车辆",
        "enforced_closed",
        0,
    ),
    (
        8,
        5,
        ViolationType.ROAD_OCCUPATION,
        "将门前人行道作为二手车辆停放场所",
        "on_time",
        0,
    ),
    (
        9,
        6,
        ViolationType.ILLEGAL_PARKING,
        "交易市场外吉祥路两侧停放待售车辆",
        "on_time_closed",
        0,
    ),
    (
        10,
        6,
        ViolationType.SCRAP_VEHICLE,
        "在吉祥路杨李村段停放报废车辆4辆，经通知未移除",
        "enforced",
        4,
    ),
    (
        11,
        8,
        ViolationType.SCRAP_VEHICLE,
        "在杨李村路边停放无牌报废车辆5辆",
        "enforced",
        5,
    ),
    (
        5,
        9,
        ViolationType.ILLEGAL_PARKING,
        "经核实为车主临时停放，不属于经营行为",
        "cancelled",
        0,
    ),
]
# Extra towing of scrap vehicles during the joint clean-ups (on the enforced cases).
EXTRA_TOWED = {6: 4, 10: 4}

LEGAL_BASIS = "《城市市容和环境卫生管理条例》第十四条、《山东省城市市容和环境卫生管理条例》有关规定"


def credit_code(n: int, kind: str) -> str:
    head = (
        ("92" if kind == SubjectKind.SOLE_TRADER else "91") + "370800" + f"MA3C{n:05d}"
    )
    return head + credit_check_char(head)


def id_number(n: int) -> str:
    head = f"37081119{70 + n:02d}0312{100 + n:03d}"
    return head + id_check_char(head)


@transaction.atomic
def seed(stdout=None) -> str:
    existing = Campaign.objects.filter(name=CAMPAIGN_NAME).first()
    if existing is not None:
        return f"执法演示数据：「{CAMPAIGN_NAME}」已存在，未重复载入"
    departments = {
        d.code: d
        for d in Department.objects.filter(
            district__kind=DistrictKind.LOCAL, code__in=["ZHZF", *JOINT]
        )
    }
    lead = departments["ZHZF"]
    officer = (
        User.objects.filter(username="officer").first()
        or User.objects.filter(department=lead).first()
    )
    joint = [departments[c] for c in JOINT]

    def act(**kw):
        return {"actor": officer, "department": lead, **kw}

    with actor_context(officer, source="seed_demo"):
        campaign = actions.campaign_create(
            actor=officer,
            name=CAMPAIGN_NAME,
            lead_department=lead,
            joint_departments=joint,
            area=AREA,
            description=DESCRIPTION,
            start_date=START,
            end_date=END,
        )
        patrols = []
        for (
            offset,
            place,
            officers,
            vehicles,
            methods,
            is_joint,
            waste,
            moved,
        ) in PATROLS:
            day = START + datetime.timedelta(days=offset)
            patrol = actions.patrol_record(
                **act(),
                campaign=campaign,
                patrol_date=day,
                place=place,
                officers=officers,
                vehicles=vehicles,
                methods=methods,
                joint_departments=joint if is_joint else [],
                findings=(
                    "多部门联合执法集中清理，交警大队拖移违停报废车辆，市场监管分局、商务局核查经营资质"
                    if is_joint
                    else "车辆广播、标语条幅宣传，劝导业主自行移除占道停放的二手车"
                ),
            )
            patrols.append(patrol)
            if waste:
                actions.disposal_record(
                    actor=officer,
                    patrol=patrol,
                    kind=DisposalKind.WASTE_PILE_CLEARED,
                    quantity=waste,
                    disposed_on=day,
                    note="清理堆放拆解车辆废弃物",
                )
            if moved:
                actions.disposal_record(
                    actor=officer,
                    patrol=patrol,
                    kind=DisposalKind.VEHICLE_REMOVED_BY_OWNER,
                    quantity=moved,
                    disposed_on=day,
                    note="经劝导业主自行移除占道停放车辆",
                )
        subjects = []
        for n, (name, kind, rep, addr) in enumerate(SUBJECTS, start=1):
            subjects.append(
                actions.subject_register(
                    **act(),
                    kind=kind,
                    name=name,
                    representative=rep,
                    credit_code=""
                    if kind == SubjectKind.INDIVIDUAL
                    else credit_code(n, kind),
                    id_number=id_number(n) if kind == SubjectKind.INDIVIDUAL else "",
                    phone=f"1386378{n:04d}",
                    address=f"济宁经济技术开发区{addr}",
                )
            )
        notices = 0
        for index, (s, p, violation, facts, outcome, towed) in enumerate(CASES):
            patrol = patrols[p]
            subject = subjects[s]
            case = actions.case_register(
                **act(),
                subject=subject,
                patrol=patrol,
                violation_type=violation,
                facts=facts,
                address=subject.address,
                registered_on=patrol.patrol_date,
                latitude=f"35.3{index:02d}100",
                longitude=f"116.6{index:02d}200",
            )
            if outcome == "cancelled":
                actions.case_cancel(
                    actor=officer,
                    case=case,
                    expected_version=case.version,
                    reason=facts,
                    on=case.registered_on + datetime.timedelta(days=2),
                )
                continue
            issued = patrol.patrol_date + datetime.timedelta(days=1)
            deadline = issued + datetime.timedelta(days=7)
            notice = actions.notice_issue(
                actor=officer,
                case=case,
                expected_version=case.version + 0,
                issued_on=issued,
                deadline=deadline,
                requirements=(
                    "立即停止占道经营，将停放于人行道、道路两侧的车辆移入经营场所内；"
                    "清理堆放的拆解车辆废弃物，恢复道路整洁。"
                ),
                legal_basis=LEGAL_BASIS,
                served_how=ServiceMethod.IN_PERSON,
                served_to=subject.representative or subject.name,
            )
            notices += 1
            case.refresh_from_db()
            if outcome.startswith("on_time"):
                actions.reinspection_record(
                    actor=officer,
                    case=case,
                    expected_version=case.version,
                    inspected_on=notice.deadline,
                    outcome=ReinspectionOutcome.PASSED,
                    note="车辆已移入经营场所，人行道已恢复通行",
                )
            else:
                case = _enforce(officer, case, notice, violation, towed, index)
            if outcome.endswith("closed"):
                case.refresh_from_db()
                actions.case_close(
                    actor=officer,
                    case=case,
                    expected_version=case.version,
                    note="整改到位，归档"
                    if outcome.startswith("on_time")
                    else "已依法清除，归档",
                    on=case.decided_on + datetime.timedelta(days=5),
                )
        campaign.refresh_from_db()
        actions.campaign_conclude(
            actor=officer, campaign=campaign, expected_version=campaign.version
        )
    return (
        f"执法演示数据：{campaign.name}，巡查 {len(PATROLS)} 次，"
        f"案件 {len(CASES)} 件，整改通知书 {notices} 份"
    )


def _enforce(officer, case, notice, violation, towed, index):
    late = notice.deadline + datetime.timedelta(days=1)
    actions.reinspection_record(
        actor=officer,
        case=case,
        expected_version=case.version,
        inspected_on=late,
        outcome=ReinspectionOutcome.FAILED,
        note="逾期未整改，车辆及废弃物仍在原处",
    )
    case.refresh_from_db()
    if violation == ViolationType.WASTE_PILING:
        kind, quantity, note = (
            DisposalKind.WASTE_PILE_CLEARED,
            2,
            "依法清除堆放的拆解车辆废弃物",
        )
    else:
        kind, quantity, note = (
            DisposalKind.VEHICLE_TOWED,
            towed,
            "联合交警大队依法拖移报废机动车",
        )
    actions.disposal_record(
        actor=officer,
        case=case,
        expected_version=case.version,
        kind=kind,
        quantity=quantity,
        disposed_on=late + datetime.timedelta(days=1),
        plates="无牌" if kind == DisposalKind.VEHICLE_TOWED else "",
        note=note,
    )
    extra = EXTRA_TOWED.get(index)
    if extra:
        case.refresh_from_db()
        actions.disposal_record(
            actor=officer,
            case=case,
            expected_version=case.version,
            kind=DisposalKind.VEHICLE_TOWED,
            quantity=extra,
            disposed_on=late + datetime.timedelta(days=3),
            note="多部门联合集中清理，拖移违规车辆",
        )
    case.refresh_from_db()
    return case
