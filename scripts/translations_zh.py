"""The zh_Hans translations of core's English msgids, written into the .po file.

Run after `manage.py makemessages -l zh_Hans`, then `manage.py compilemessages`.
Only fills empty msgstr entries, so translations edited by hand are kept.
"""

import re
import sys
from pathlib import Path

ZH = {
    "Service matters": "通办事项",
    "Matter catalogue, 通办 lists, one-thing bundles": "政务服务事项目录、通办清单、一件事",
    "Applications": "办件",
    "Intake, correction, review, certificates, delivery": "受理、补正、审批、发证、送达",
    "Cross-region delivery": "跨域投递",
    "Messages to partner districts and their delivery": "发往合作地区的消息及其投递记录",
    "Volunteers": "志愿服务",
    "Party-member teams, activities, service hours": "党员志愿服务队、活动、服务时长",
    "Enforcement": "综合执法",
    "Campaigns, patrols, cases, rectification notices": "专项整治、巡查、案件、整改通知书",
    "Workbench": "工作台",
    "Service Matters Registry": "政务服务事项登记系统",
    "Registry": "登记系统",
    "Administration": "管理后台",
    "Log out": "退出",
    "Time": "时间",
    "Change": "操作",
    "By": "操作人",
    "Fields (before → after)": "变更（原值 → 新值）",
    "Created": "新建",
    "Changed": "修改",
    "Deleted": "删除",
    "System": "系统",
    "(empty)": "（空）",
    "Initial values": "初始值",
    "No changes recorded": "暂无变更记录",
    "Change history": "变更历史",
    "Change history of %(kind)s “%(name)s”": "%(kind)s「%(name)s」的变更历史",
    "Hello, %(name)s. Choose the work to do:": "您好，%(name)s。请选择要办理的业务：",
    "Your account has no role yet; ask the district administrator.": "您的账号尚未分配角色，请联系区级管理员。",
    "Filter": "筛选",
    "Clear": "清除",
    "First page": "第一页",
    "Next page": "下一页",
    "Government Services": "政务服务",
    "Log in": "登录",
    "Staff log in": "工作人员登录",
    "Wrong user name or password. Please try again.": "用户名或密码错误，请重试。",
    "User name": "用户名",
    "Password": "密码",
}


def fill(path: Path) -> int:
    text = path.read_text(encoding="utf-8")
    filled = 0

    def replace(match):
        nonlocal filled
        msgid = match.group(1)
        if msgid in ZH:
            filled += 1
            return f'msgid "{msgid}"\nmsgstr "{ZH[msgid]}"'
        return match.group(0)

    text = re.sub(r'msgid "(.+)"\nmsgstr ""', replace, text)
    text = text.replace("#, fuzzy\n", "", 1)
    path.write_text(text, encoding="utf-8")
    return filled


if __name__ == "__main__":
    target = Path(
        sys.argv[1] if len(sys.argv) > 1 else "locale/zh_Hans/LC_MESSAGES/django.po"
    )
    print(f"filled {fill(target)} translations")
