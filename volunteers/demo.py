"""Demo data of the volunteer register: the 2021 story of shared/seed-news-page.txt.

215 teams (205 party-member teams across the party branches and 10 social
organisations), 4,051 party-member volunteers, a plan for every month of 2021,
monthly activities with service hours, the 鲁豫情深 风雨同舟 flood-relief convoy
of 27 July (秋英爱心义工团 with 济宁市慈善总会 and 济宁市巾帼志愿者联盟: 40+
volunteers, 8 trucks, materials worth nearly ¥1M), and a few teams and branches
that break the rules so the compliance page has something to show.

Rows are written with ``bulk_create`` for speed; the seed is deterministic and
idempotent (a second run finds the story's team and does nothing).
"""

from __future__ import annotations

import datetime
import io
import random
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone

from core.audit import actor_context
from core.validators import id_check_char
from volunteers.choices import ActivityStatus, MemberRole, Sector, TeamKind
from volunteers.models import (
    Activity,
    AnnualPlan,
    Donation,
    Membership,
    Organisation,
    Participation,
    PartyBranch,
    PlanItem,
    ServiceCategory,
    Team,
    Volunteer,
)

YEAR = 2021
QIUYING = "济宁经开区秋英爱心义工团"
CHARITY = "济宁市慈善总会"
WOMEN = "济宁市巾帼志愿者联盟"
PARTY_VOLUNTEERS = 4051
PARTY_TEAMS = 205
CONVOY_VOLUNTEERS = 42
CONVOY_VEHICLES = 8

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
    "苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红建国志强海燕春梅金凤文博"

TOWNS = ["疃里镇", "马集镇"]
VILLAGES = [
    "后赵村",
    "前赵村",
    "杨李村",
    "西大李村",
    "东大李村",
    "疃里村",
    "王庄村",
    "张庄村",
    "孙楼村",
    "刘庄村",
    "北赵村",
    "南赵村",
    "李营村",
    "韩庄村",
    "周庄村",
    "马集村",
    "富山村",
    "鲁寨村",
    "郗鉴村",
    "石桥村",
    "柳林村",
    "前营村",
    "后营村",
    "高庄村",
    "黄庄村",
    "林庄村",
    "何楼村",
    "崔庄村",
    "朱庄村",
    "吴庄村",
    "徐楼村",
    "胡庄村",
    "郭庄村",
    "罗庄村",
    "梁庄村",
    "宋庄村",
    "郑庄村",
    "谢庄村",
    "唐庄村",
    "冯庄村",
    "董庄村",
    "程庄村",
    "曹庄村",
    "袁庄村",
    "邓庄村",
    "许庄村",
    "傅庄村",
    "沈庄村",
    "曾庄村",
    "彭庄村",
    "吕庄村",
    "苏庄村",
    "卢庄村",
    "蒋庄村",
    "蔡庄村",
    "贾庄村",
    "丁庄村",
    "魏庄村",
    "薛庄村",
    "叶庄村",
    "阎庄村",
    "余庄村",
    "潘庄村",
    "杜庄村",
    "戴庄村",
    "夏庄村",
    "钟庄村",
    "汪庄村",
    "田庄村",
    "任庄村",
    "姜庄村",
    "范庄村",
]
COMMUNITIES = [
    "紫薇",
    "吉祥路",
    "西大李",
    "富山",
    "旅游路",
    "河堤路",
    "鲁寨大道",
    "经开花园",
    "新时代",
    "森桦",
    "嘉和",
    "康乐",
    "和谐",
    "幸福",
    "锦绣",
    "泰和",
    "安居",
    "书香",
    "文昌",
    "兴业",
    "金城",
    "长青",
    "瑞景",
    "阳光",
    "滨河",
]
ORGANS = [
    "党群工作部",
    "行政审批服务局",
    "综合行政执法局",
    "社会事业局",
    "残联",
    "医疗保障局",
    "人力资源和社会保障局",
    "市场监管分局",
    "交警大队",
    "商务局",
    "住房和城乡建设局",
    "卫生健康局",
    "民政局",
    "自然资源分局",
    "投资促进局",
    "财政金融局",
    "公共资源交易分中心",
]
HEALTH = [
    "疃里镇卫生院",
    "马集镇卫生院",
    "区人民医院",
    "区疾病预防控制中心",
    "区妇幼保健院",
]
WINDOWS = ["区为民服务中心", "疃里镇为民服务大厅", "马集镇为民服务大厅"]
ENTERPRISES = [
    "新时代产业发展有限公司",
    "森桦高分子复合材料有限公司",
    "柒色搪瓷装饰板有限公司",
]
SCHOOLS = ["疃里镇中心小学", "马集镇中心小学", "经开区实验学校", "经开区第一幼儿园"]

SOCIAL_TEAMS = [
    (QIUYING, "司秋英", ["rescue", "labour", "culture"]),
    ("济宁经开区青年志愿者协会", "", ["culture", "policy"]),
    ("济宁经开区红十字志愿服务队", "", ["rescue", "clinic"]),
    ("济宁经开区文明交通志愿服务队", "唐硕", ["traffic"]),
    ("疃里镇乡贤志愿服务队", "", ["mediation", "labour"]),
    ("马集镇石雕文化志愿服务队", "", ["culture"]),
    ("紫薇小镇文旅志愿服务队", "", ["culture", "environment"]),
    ("济宁经开区爱心助残志愿服务队", "", ["gov_service", "labour"]),
    ("济宁经开区老干部宣讲团", "", ["policy"]),
    ("济宁经开区应急救援志愿服务队", "", ["rescue"]),
]

# Named people of the story leading the teams of their offices.
LEADERS = {
    "疃里镇后赵村党员志愿者服务队": "赵金平",
    "区为民服务中心“经心服务”小分队": "马玉珠",
    "综合行政执法局党员志愿服务队": "房斌",
    "马集镇马集村党员志愿服务队": "陈根运",
    "交警大队党员志愿服务队": "唐硕",
    "公共资源交易分中心党员志愿服务队": "张学堂",
    "投资促进局党员志愿服务队": "贺东浩",
    "党群工作部党员志愿服务队": "王婷婷",
}

TITLES = {
    "labour": ["清理卫生死角", "义务植树", "公共区域清扫"],
    "mediation": ["邻里纠纷调解", "矛盾纠纷排查化解"],
    "burn_patrol": ["秸秆禁烧巡查", "夏季禁烧巡逻"],
    "policy": ["政策宣讲进村居", "党史学习宣讲"],
    "culture": ["文明实践文化宣传", "送文化下乡"],
    "clinic": ["“我为群众送健康”义诊", "常见病预防义诊"],
    "vaccination": ["新冠疫苗接种服务", "疫苗接种引导"],
    "traffic": ["“一盔一带”交通安全宣传", "交通安全宣教进校园"],
    "rescue": ["应急救援演练", "防汛抢险值守"],
    "environment": ["“新班子新气象、环境卫生大变样”环境卫生大整治", "村庄环境整治"],
    "gov_service": ["“经心服务”主动上门服务", "帮办代办服务直通车"],
}

SECTOR_CATEGORIES = {
    Sector.RURAL: ["labour", "environment", "burn_patrol", "mediation", "policy"],
    Sector.COMMUNITY: ["labour", "mediation", "culture", "policy", "environment"],
    Sector.ORGAN: ["policy", "labour", "culture", "gov_service"],
    Sector.HEALTH: ["clinic", "vaccination", "policy"],
    Sector.WINDOW: ["gov_service", "policy"],
    Sector.ENTERPRISE: ["labour", "culture"],
    Sector.SCHOOL: ["traffic", "culture"],
}

# Rule breakers (compliance has something to show).
BRANCHES_WITHOUT_TEAM = ["经开区新兴领域联合党支部", "经开区非公企业联合党支部"]
SMALL_TEAMS = {  # team index among party teams → current party members
    37: 4,  # has 5 members, one of whom has left (history kept)
    88: 3,
    150: 2,
}
NO_PLAN_TEAMS = {12, 140}  # party teams without a 2021 plan (+ one social team)
NO_PLAN_SOCIAL = "济宁经开区老干部宣讲团"
UNPLANNED_MONTHS = {60: [8, 9], 175: [2]}  # party team index → months left unplanned
NOT_HELD_EVERY = 29  # roughly one planned item in 29 is not held


def aware(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime(day.year, day.month, day.day, hour, minute)
    )


def id_number(rng: random.Random, used: set[str]) -> str:
    while True:
        birth = datetime.date(1960, 1, 1) + datetime.timedelta(
            days=rng.randrange(15000)
        )
        area = rng.choice(["370871", "370811", "370802", "370830"])
        first17 = f"{area}{birth:%Y%m%d}{rng.randrange(1000):03d}"
        number = first17 + id_check_char(first17)
        if number not in used:
            used.add(number)
            return number


def person_name(rng: random.Random) -> str:
    given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
    return rng.choice(SURNAMES) + given


def image_png(color: tuple[int, int, int], size=(150, 100), star=True) -> bytes:
    """A simple flag (a field with a star) or logo (a ring) drawn with Pillow."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, color)
    draw = ImageDraw.Draw(image)
    w, h = size
    if star:
        cx, cy, r = w // 4, h // 3, min(w, h) // 6
        points = []
        import math

        for k in range(10):
            radius = r if k % 2 == 0 else r * 0.4
            angle = math.pi / 2 + k * math.pi / 5
            points.append(
                (cx + radius * math.cos(angle), cy - radius * math.sin(angle))
            )
        draw.polygon(points, fill=(255, 222, 0))
    else:
        draw.ellipse((8, 8, w - 8, h - 8), outline=(255, 255, 255), width=6)
        draw.ellipse((w // 3, h // 3, 2 * w // 3, 2 * h // 3), fill=(255, 222, 0))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def make_branches() -> list[tuple[str, str, str]]:
    """(name, sector, secretary) for the party branches, most important first."""
    branches = [("疃里镇后赵村党支部", Sector.RURAL, "赵金平")]
    branches += [(f"{o}党支部", Sector.ORGAN, "") for o in ORGANS]
    branches += [(f"{h}党支部", Sector.HEALTH, "") for h in HEALTH]
    branches += [(f"{w}党支部", Sector.WINDOW, "") for w in WINDOWS]
    branches += [(f"{e}党支部", Sector.ENTERPRISE, "") for e in ENTERPRISES]
    branches += [(f"{s}党支部", Sector.SCHOOL, "") for s in SCHOOLS]
    branches += [(f"{c}社区党支部", Sector.COMMUNITY, "") for c in COMMUNITIES]
    for village in VILLAGES:
        for town in TOWNS:
            if village == "后赵村" or village == {"疃里镇": "马集村"}.get(town):
                continue
            if town == "马集镇" and village == "疃里村":
                continue
            branches.append((f"{town}{village}党支部", Sector.RURAL, ""))
    return branches


def team_name_for(branch_name: str, sector: str, second: bool = False) -> str:
    base = branch_name.removesuffix("党支部")
    if second:
        return f"{base}党员志愿服务二队"
    if base == "疃里镇后赵村":
        return "疃里镇后赵村党员志愿者服务队"
    if sector == Sector.WINDOW:
        return f"{base}“经心服务”小分队"
    if sector == Sector.HEALTH:
        return f"{base}“我为群众送健康”党员志愿服务队"
    return f"{base}党员志愿服务队"


@transaction.atomic
def seed(stdout=None) -> str:
    if Team.objects.filter(name=QIUYING).exists():
        return f"志愿服务演示数据已存在：服务队 {Team.objects.count()} 支，未重复载入"
    with actor_context(None, source="seed_demo"):
        return _seed()


def _seed() -> str:
    from volunteers.actions import categories_load

    categories_load()
    rng = random.Random(YEAR)
    categories = {c.code: c for c in ServiceCategory.objects.all()}
    used_ids = set(Volunteer.objects.values_list("id_number", flat=True))

    charity, _ = Organisation.objects.get_or_create(name=CHARITY)
    women, _ = Organisation.objects.get_or_create(name=WOMEN)

    # --- branches ---------------------------------------------------------------
    branch_specs = make_branches()
    with_team = branch_specs[: PARTY_TEAMS - 12]  # 193 branches; 12 get a second team
    specs = branch_specs[: len(with_team)] + [
        (name, Sector.ENTERPRISE, "") for name in BRANCHES_WITHOUT_TEAM
    ]
    existing = set(PartyBranch.objects.values_list("name", flat=True))
    PartyBranch.objects.bulk_create(
        [
            PartyBranch(name=name, sector=sector, secretary=secretary)
            for name, sector, secretary in specs
            if name not in existing
        ]
    )
    branches = {
        b.name: b for b in PartyBranch.objects.filter(name__in=[s[0] for s in specs])
    }

    # --- teams ------------------------------------------------------------------
    team_specs = []  # (name, kind, branch, category codes, leader name)
    for name, sector, _ in with_team:
        team_name = team_name_for(name, sector)
        team_specs.append(
            (team_name, TeamKind.PARTY, branches[name], SECTOR_CATEGORIES[sector], "")
        )
    for name, sector, _ in with_team[:12]:
        team_specs.append(
            (
                team_name_for(name, sector, second=True),
                TeamKind.PARTY,
                branches[name],
                SECTOR_CATEGORIES[sector],
                "",
            )
        )
    for name, leader, codes in SOCIAL_TEAMS:
        team_specs.append((name, TeamKind.SOCIAL, None, codes, leader))

    teams = []
    for index, (name, kind, branch, _codes, _) in enumerate(team_specs):
        red = (180 + (index * 7) % 60, 22 + (index * 13) % 60, 27 + (index * 5) % 40)
        flag = default_storage.save(
            f"volunteers/flags/demo-{index:03d}.png", ContentFile(image_png(red))
        )
        logo = default_storage.save(
            f"volunteers/logos/demo-{index:03d}.png",
            ContentFile(image_png(red, (96, 96), star=False)),
        )
        teams.append(
            Team(
                name=name,
                kind=kind,
                branch=branch,
                flag=flag,
                logo=logo,
                founded_on=datetime.date(
                    2020 if kind == TeamKind.SOCIAL else 2021, 1, 4
                )
                + datetime.timedelta(days=index % 40),
                description=(
                    "秋英义工团秘书长司秋英率领，开展扶贫济困、应急救援等志愿服务。"
                    if name == QIUYING
                    else ""
                ),
            )
        )
    teams = Team.objects.bulk_create(teams)
    through = Team.categories.through
    through.objects.bulk_create(
        [
            through(team_id=team.pk, servicecategory_id=categories[code].pk)
            for team, spec in zip(teams, team_specs, strict=True)
            for code in spec[3]
        ]
    )
    party_teams = [t for t in teams if t.kind == TeamKind.PARTY]
    social_teams = [t for t in teams if t.kind == TeamKind.SOCIAL]
    codes_of = {t.pk: spec[3] for t, spec in zip(teams, team_specs, strict=True)}

    # --- volunteers and memberships ---------------------------------------------
    # Party members per party team: the small teams get their few, the rest share
    # the remaining 4,051 as evenly as the story allows.
    sizes = {}
    small_total = sum(SMALL_TEAMS.values()) + 1  # +1: the one who left team 37
    rest = PARTY_VOLUNTEERS - small_total
    normal = [i for i in range(len(party_teams)) if i not in SMALL_TEAMS]
    for k, i in enumerate(normal):
        sizes[i] = rest // len(normal) + (1 if k < rest % len(normal) else 0)
    for i, n in SMALL_TEAMS.items():
        sizes[i] = n + (1 if i == 37 else 0)

    volunteers: list[Volunteer] = []
    member_plan: list[tuple[int, int, str]] = []  # (volunteer index, team index, role)
    team_index = {t.name: i for i, t in enumerate(teams)}
    for i, team in enumerate(party_teams):
        leader_name = LEADERS.get(team.name)
        for k in range(sizes[i]):
            name = leader_name if (k == 0 and leader_name) else person_name(rng)
            volunteers.append(
                Volunteer(
                    name=name,
                    id_number=id_number(rng, used_ids),
                    phone=f"13{rng.randrange(10**9):09d}",
                    is_party_member=True,
                    branch=team.branch,
                    skills=rng.choice(
                        ["", "驾驶", "医疗护理", "法律咨询", "文艺", "电工", "厨艺"]
                    ),
                    interests=rng.choice(
                        ["", "书法", "摄影", "广场舞", "宣讲", "读书"]
                    ),
                    registered_on=datetime.date(2021, 1, 4),
                )
            )
            role = (
                MemberRole.LEADER
                if k == 0
                else (MemberRole.DEPUTY if k == 1 else MemberRole.MEMBER)
            )
            member_plan.append((len(volunteers) - 1, team_index[team.name], role))
    party_count = len(volunteers)
    for team in social_teams:
        size = 60 if team.name == QIUYING else 15
        leader_name = dict((n, leader) for n, leader, _ in SOCIAL_TEAMS)[team.name]
        for k in range(size):
            name = leader_name if (k == 0 and leader_name) else person_name(rng)
            volunteers.append(
                Volunteer(
                    name=name,
                    id_number=id_number(rng, used_ids),
                    phone=f"15{rng.randrange(10**9):09d}",
                    is_party_member=False,
                    skills=rng.choice(["", "驾驶", "搬运", "急救"]),
                    registered_on=datetime.date(2020, 6, 1),
                )
            )
            role = MemberRole.LEADER if k == 0 else MemberRole.MEMBER
            member_plan.append((len(volunteers) - 1, team_index[team.name], role))
    volunteers = Volunteer.objects.bulk_create(volunteers, batch_size=2000)

    memberships = [
        Membership(
            team=teams[t],
            volunteer=volunteers[v],
            role=role,
            joined_on=teams[t].founded_on,
        )
        for v, t, role in member_plan
    ]
    # One party member of team 37 left in June (so it has 4 now) and joined team 38.
    small = party_teams[37]
    leaver_index = next(
        v
        for v, t, role in member_plan
        if teams[t].pk == small.pk and role == MemberRole.MEMBER
    )
    for m in memberships:
        if m.volunteer is volunteers[leaver_index] and m.team.pk == small.pk:
            m.left_on = datetime.date(YEAR, 6, 30)
    memberships.append(
        Membership(
            team=party_teams[38],
            volunteer=volunteers[leaver_index],
            role=MemberRole.MEMBER,
            joined_on=datetime.date(YEAR, 7, 1),
        )
    )
    Membership.objects.bulk_create(memberships, batch_size=2000)
    leaders = {}
    for v, t, role in member_plan:
        if role == MemberRole.LEADER:
            leaders[teams[t].pk] = volunteers[v].pk
    for team in teams:
        team.leader_id = leaders.get(team.pk)
    Team.objects.bulk_update(teams, ["leader"], batch_size=500)

    members_of: dict[int, list[Volunteer]] = {t.pk: [] for t in teams}
    for m in memberships:
        if m.left_on is None:
            members_of[m.team.pk].append(m.volunteer)

    # --- plans ------------------------------------------------------------------
    no_plan = {party_teams[i].pk for i in NO_PLAN_TEAMS} | {
        t.pk for t in social_teams if t.name == NO_PLAN_SOCIAL
    }
    unplanned = {party_teams[i].pk: months for i, months in UNPLANNED_MONTHS.items()}
    plans = AnnualPlan.objects.bulk_create(
        [
            AnnualPlan(
                team=team,
                year=YEAR,
                made_on=datetime.date(YEAR, 1, 8)
                + datetime.timedelta(days=team.pk % 20),
                note="年初制定全年志愿服务计划，每月按计划组织队员开展活动。",
            )
            for team in teams
            if team.pk not in no_plan
        ]
    )
    items = []
    for plan in plans:
        codes = codes_of[plan.team.pk]
        for month in range(1, 13):
            if month in unplanned.get(plan.team.pk, []):
                continue
            code = codes[(month + plan.team.pk) % len(codes)]
            if plan.team.name == "疃里镇后赵村党员志愿者服务队" and month == 7:
                code = "labour"
            items.append(
                PlanItem(
                    plan=plan,
                    month=month,
                    category=categories[code],
                    title=TITLES[code][(month + plan.pk) % len(TITLES[code])],
                    expected_participants=10 + (plan.pk + month) % 15,
                )
            )
            if plan.team.name == QIUYING and month in (5, 10):
                items.append(
                    PlanItem(
                        plan=plan,
                        month=month,
                        category=categories["labour"],
                        title="扶贫济困爱心走访",
                        expected_participants=20,
                    )
                )
    items = PlanItem.objects.bulk_create(items, batch_size=2000)

    # --- activities and hours ---------------------------------------------------
    activities: list[Activity] = []
    counter = 0
    for item in items:
        team = item.plan.team
        counter += 1
        day = datetime.date(YEAR, item.month, 3 + (team.pk + item.month) % 24)
        start_hour = 8 + (team.pk % 3) * 2
        length = 2 + (team.pk + item.month) % 3  # 2–4 hours
        status = ActivityStatus.HELD
        if counter % NOT_HELD_EVERY == 0:
            status = ActivityStatus.CANCELLED if counter % 2 else ActivityStatus.PLANNED
        place = team.name.removesuffix("党员志愿服务队").removesuffix(
            "党员志愿者服务队"
        )
        activities.append(
            Activity(
                team=team,
                plan_item=item,
                category=item.category,
                title=item.title,
                content=f"{team.name}{item.month}月计划活动：{item.title}。",
                starts_at=aware(day, start_hour),
                ends_at=aware(day, start_hour + length),
                place=place or "济宁经开区",
                vehicles=0,
                status=status,
            )
        )
    # Unplanned activities: the teams without a plan still went out twice.
    for team in teams:
        if team.pk in no_plan:
            for month in (3, 9):
                code = codes_of[team.pk][0]
                day = datetime.date(YEAR, month, 15)
                activities.append(
                    Activity(
                        team=team,
                        category=categories[code],
                        title=TITLES[code][0],
                        starts_at=aware(day, 9),
                        ends_at=aware(day, 11),
                        place="济宁经开区",
                        status=ActivityStatus.HELD,
                    )
                )
    activities = Activity.objects.bulk_create(activities, batch_size=2000)

    participations = []
    for activity in activities:
        if activity.status != ActivityStatus.HELD:
            continue
        members = members_of[activity.team.pk]
        if not members:
            continue
        duration = Decimal((activity.ends_at - activity.starts_at).seconds // 360) / 10
        count = min(len(members), 4 + (activity.team.pk + activity.starts_at.month) % 7)
        start = (activity.starts_at.month * 3) % len(members)
        chosen = [members[(start + k) % len(members)] for k in range(count)]
        for k, volunteer in enumerate(chosen):
            hours = (
                duration if k % 4 else max(duration - Decimal("0.5"), Decimal("0.5"))
            )
            participations.append(
                Participation(activity=activity, volunteer=volunteer, hours=hours)
            )
    Participation.objects.bulk_create(participations, batch_size=5000)

    convoy = _convoy(teams, members_of, categories, charity, women)
    # Fresh statistics after the bulk load, so the planner joins the reports'
    # tables sensibly straight away (autovacuum would only catch up later).
    with connection.cursor() as cursor:
        cursor.execute(
            "ANALYZE volunteers_partybranch, volunteers_team, volunteers_volunteer, "
            "volunteers_membership, volunteers_annualplan, volunteers_planitem, "
            "volunteers_activity, volunteers_participation, volunteers_donation"
        )
    donation_total = sum(d.value for d in convoy.donations.all())
    summary = (
        f"志愿服务演示数据：党支部 {len(specs)} 个，服务队 {len(teams)} 支，"
        f"党员志愿者 {party_count} 名，活动 {Activity.objects.count()} 次，"
        f"服务记录 {Participation.objects.count()} 条，"
        f"7月27日爱心车队 {convoy.participations.count()} 人 {convoy.vehicles} 辆车、"
        f"物资 ¥{donation_total}"
    )
    return summary


CONVOY_DONATIONS = [
    ("爱心企业联合捐赠（济宁市慈善总会统筹）", "饮用水", 6000, "箱", "180000.00"),
    ("爱心企业联合捐赠（济宁市慈善总会统筹）", "方便面及速食", 5000, "箱", "240000.00"),
    ("济宁市巾帼志愿者联盟", "雨衣雨靴", 3000, "套", "150000.00"),
    ("爱心企业联合捐赠（秋英爱心义工团募集）", "消毒用品", 2000, "箱", "126400.00"),
    ("爱心企业联合捐赠（秋英爱心义工团募集）", "常用药品", 800, "箱", "160000.00"),
    ("济宁市慈善总会", "帐篷、发电机等救灾物资", 120, "件", "130000.00"),
]


def _convoy(teams, members_of, categories, charity, women) -> Activity:
    """The 26–27 July flood-relief actions of 秋英爱心义工团 (unplanned)."""
    qiuying = next(t for t in teams if t.name == QIUYING)
    others = [t for t in teams if t.kind == TeamKind.SOCIAL and t.pk != qiuying.pk]
    loading = Activity.objects.create(
        team=qiuying,
        category=categories["rescue"],
        title="“驰援河南抗洪救灾”爱心物资连夜搬运装车",
        content="与济宁市慈善总会、济宁市巾帼志愿者联盟共同发起“驰援河南抗洪救灾”志愿服务行动，连夜将众多爱心企业捐赠的援助物资搬运装车。",
        starts_at=aware(datetime.date(YEAR, 7, 26), 19),
        ends_at=aware(datetime.date(YEAR, 7, 26), 23, 30),
        place="济宁经开区",
        vehicles=0,
        status=ActivityStatus.HELD,
    )
    loading.co_organisations.set([charity, women])
    convoy = Activity.objects.create(
        team=qiuying,
        category=categories["rescue"],
        title="“鲁豫情深 风雨同舟”爱心公益车队驰援河南抗洪救灾",
        content=(
            "40余名志愿者和8辆救灾运输车组成的“鲁豫情深 风雨同舟”爱心公益车队踏上征程，"
            "由秋英义工团秘书长司秋英亲自率领，将价值近百万元的爱心物资送到奋战在抗洪救灾一线的"
            "公安干警、武警官兵、交警、消防战士以及受灾群众手中。"
        ),
        starts_at=aware(datetime.date(YEAR, 7, 27), 6),
        ends_at=aware(datetime.date(YEAR, 7, 27), 22),
        place="济宁经开区—河南抗洪救灾一线",
        vehicles=CONVOY_VEHICLES,
        status=ActivityStatus.HELD,
    )
    convoy.co_organisations.set([charity, women])
    convoy.co_teams.set(others[:2])
    crew = members_of[qiuying.pk][: CONVOY_VOLUNTEERS - 6]
    for team in others[:2]:
        crew += members_of[team.pk][:3]
    Participation.objects.bulk_create(
        [
            Participation(activity=convoy, volunteer=v, hours=Decimal("16.0"))
            for v in crew
        ]
        + [
            Participation(activity=loading, volunteer=v, hours=Decimal("4.5"))
            for v in members_of[qiuying.pk][:30]
        ]
    )
    Donation.objects.bulk_create(
        [
            Donation(
                activity=convoy,
                team=qiuying,
                donor=donor,
                items=items,
                quantity=Decimal(quantity),
                unit=unit,
                value=Decimal(value),
                received_on=datetime.date(YEAR, 7, 26),
            )
            for donor, items, quantity, unit, value in CONVOY_DONATIONS
        ]
    )
    return convoy
