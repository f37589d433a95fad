"""Demo catalogue of 济宁经开区 (shared/seed-news-page.txt): the first 50 matters of
the 全省通办 agreement with 潍坊滨海经济技术开发区 and its later adjustment, the
助残"一件事" bundle of five matters, and the rest of a district catalogue.

Idempotent: matters are upserted by code through the actions (an unchanged
matter keeps its version), the agreement and bundle are made once.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from core.choices import DistrictKind
from core.models import Department, District
from core.validators import credit_check_char
from services.actions import catalogue as actions
from services.choices import (
    AgreementMode,
    HandlingType,
    LiaisonSide,
    MatterKind,
    MatterStatus,
    OnlineDepth,
    ResultType,
    TongbanScope,
)
from services.models import Agreement, Bundle, Matter

AREA = "370871"  # 济宁经开区 (settings.LOCAL_DISTRICT_CODE)
HALL = "济宁经开区为民服务中心"
PHONE = "0537-2960120"

# department code → the two letters county lists use, and a body-code sequence
DEPT_LETTERS = {
    "XZSP": ("SP", 1),
    "CJR": ("CL", 2),
    "MZ": ("MZ", 3),
    "RSJ": ("RS", 4),
    "YBJ": ("YB", 5),
    "ZJJ": ("ZJ", 6),
    "WJJ": ("WJ", 7),
    "SWJ": ("SW", 8),
    "JJ": ("JJ", 9),
    "SCJG": ("SC", 10),
    "GTFJ": ("GT", 11),
}
KIND_LETTERS = {"1": "XK", "5": "JF", "7": "QR", "10": "QT", "20": "GG"}

K = MatterKind
ID = "居民身份证"
# (name, department, kind, statutory, promised, visits, online depth, fee,
#  result name, legal basis, conditions, materials "名称/形式" separated by ；)
MATTERS = [
    # 助残"一件事" (the five of the bundle)
    (
        "残疾人证办理",
        "CJR",
        K.CONFIRMATION,
        20,
        10,
        1,
        OnlineDepth.PRE_REVIEW,
        0,
        "中华人民共和国残疾人证",
        "《中国残疾人联合会关于实施第二代残疾人证管理的通知》（残联发〔2011〕9号）",
        "具有本区户籍，经县级以上残联指定医疗机构评定符合残疾标准的视力、听力、言语、肢体、智力、精神残疾人。",
        "《中华人民共和国残疾人证申请表》/原件；居民身份证或户口簿/原件；近期二寸免冠白底彩色照片/原件；残疾评定表/原件",
        "须到指定医疗机构进行残疾评定",
    ),
    (
        "困难残疾人生活补贴",
        "MZ",
        K.PAYMENT,
        20,
        10,
        0,
        OnlineDepth.FULL,
        0,
        "困难残疾人生活补贴发放",
        "《国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见》（国发〔2015〕52号）",
        "持有第二代残疾人证、属于最低生活保障家庭的残疾人。",
        "困难残疾人生活补贴申请审批表/原件；居民身份证/电子证照；中华人民共和国残疾人证/电子证照",
    ),
    (
        "重度残疾人护理补贴",
        "MZ",
        K.PAYMENT,
        20,
        10,
        0,
        OnlineDepth.FULL,
        0,
        "重度残疾人护理补贴发放",
        "《国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见》（国发〔2015〕52号）",
        "持有第二代残疾人证、残疾等级为一级或二级且需长期照护的重度残疾人。",
        "重度残疾人护理补贴申请审批表/原件；居民身份证/电子证照；中华人民共和国残疾人证/电子证照",
    ),
    (
        "基本养老保险补贴",
        "RSJ",
        K.PAYMENT,
        20,
        10,
        0,
        OnlineDepth.FULL,
        0,
        "城乡居民基本养老保险缴费补贴",
        "《山东省人民政府关于建立居民基本养老保险制度的实施意见》（鲁政发〔2014〕5号）",
        "参加城乡居民基本养老保险的重度残疾人等缴费困难群体。",
        "城乡居民基本养老保险缴费补贴申请表/原件；居民身份证/电子证照；中华人民共和国残疾人证/电子证照",
    ),
    (
        "基本医疗保险补贴",
        "YBJ",
        K.PAYMENT,
        20,
        10,
        0,
        OnlineDepth.FULL,
        0,
        "城乡居民基本医疗保险个人缴费补贴",
        "《山东省医疗保障局等部门关于做好城乡居民基本医疗保险工作的通知》",
        "参加城乡居民基本医疗保险的困难残疾人。",
        "城乡居民基本医疗保险缴费补贴申请表/原件；居民身份证/电子证照；中华人民共和国残疾人证/电子证照",
    ),
    # 市场主体登记与许可（行政审批服务局相对集中行使）
    (
        "个体工商户设立登记",
        "XZSP",
        K.LICENSING,
        15,
        1,
        0,
        OnlineDepth.FULL,
        0,
        "营业执照",
        "《促进个体工商户发展条例》《中华人民共和国市场主体登记管理条例》",
        "有经营能力的自然人，经营场所符合规定。",
        "个体工商户登记（备案）申请书/原件；经营者身份证明/电子证照；经营场所使用证明/复印件",
    ),
    (
        "个体工商户变更登记",
        "XZSP",
        K.LICENSING,
        15,
        1,
        0,
        OnlineDepth.FULL,
        0,
        "营业执照",
        "《中华人民共和国市场主体登记管理条例》",
        "已登记的个体工商户登记事项发生变化。",
        "个体工商户变更登记申请书/原件；经营者身份证明/电子证照；营业执照正副本/原件",
    ),
    (
        "个体工商户注销登记",
        "XZSP",
        K.LICENSING,
        15,
        1,
        0,
        OnlineDepth.FULL,
        0,
        "准予注销登记通知书",
        "《中华人民共和国市场主体登记管理条例》",
        "已登记的个体工商户停止经营。",
        "个体工商户注销登记申请书/原件；营业执照正副本/原件",
    ),
    (
        "有限责任公司设立登记",
        "XZSP",
        K.LICENSING,
        15,
        1,
        0,
        OnlineDepth.FULL,
        0,
        "营业执照",
        "《中华人民共和国公司法》《中华人民共和国市场主体登记管理条例》",
        "符合公司法规定的设立条件。",
        "公司登记（备案）申请书/原件；公司章程/原件；股东主体资格证明/复印件；法定代表人、董事、监事和经理的任职文件/原件；住所使用证明/复印件",
    ),
    (
        "有限责任公司变更登记",
        "XZSP",
        K.LICENSING,
        15,
        1,
        0,
        OnlineDepth.FULL,
        0,
        "营业执照",
        "《中华人民共和国公司法》《中华人民共和国市场主体登记管理条例》",
        "公司登记事项发生变更。",
        "公司登记（备案）申请书/原件；变更决议或决定/原件；营业执照正副本/原件",
    ),
    (
        "营业执照遗失补领",
        "XZSP",
        K.OTHER_POWER,
        15,
        1,
        0,
        OnlineDepth.FULL,
        0,
        "营业执照",
        "《中华人民共和国市场主体登记管理条例实施细则》",
        "营业执照遗失或毁损的市场主体。",
        "营业执照补领申请书/原件；遗失声明/复印件",
    ),
    (
        "农民专业合作社设立登记",
        "XZSP",
        K.LICENSING,
        15,
        1,
        0,
        OnlineDepth.FULL,
        0,
        "营业执照",
        "《中华人民共和国农民专业合作社法》",
        "有五名以上符合规定的成员，有章程和组织机构。",
        "农民专业合作社登记申请书/原件；设立大会纪要/原件；章程/原件；成员名册及身份证明/复印件",
    ),
    (
        "食品经营许可",
        "XZSP",
        K.LICENSING,
        20,
        5,
        0,
        OnlineDepth.FULL,
        0,
        "食品经营许可证",
        "《中华人民共和国食品安全法》第三十五条；《食品经营许可和备案管理办法》",
        "具有与经营的食品品种、数量相适应的经营场所、设备设施和管理制度。",
        "食品经营许可申请书/原件；营业执照/电子证照；食品安全管理制度/原件；经营场所布局图/原件",
    ),
    (
        "食品经营许可变更",
        "XZSP",
        K.LICENSING,
        20,
        3,
        0,
        OnlineDepth.FULL,
        0,
        "食品经营许可证",
        "《食品经营许可和备案管理办法》",
        "食品经营许可证载明的许可事项发生变化。",
        "食品经营许可变更申请书/原件；食品经营许可证/原件",
    ),
    (
        "食品经营许可注销",
        "XZSP",
        K.LICENSING,
        20,
        1,
        0,
        OnlineDepth.FULL,
        0,
        "准予注销通知书",
        "《食品经营许可和备案管理办法》",
        "食品经营者终止经营或许可证有效期届满未延续。",
        "食品经营许可注销申请书/原件；食品经营许可证/原件",
    ),
    (
        "食品小作坊登记",
        "XZSP",
        K.LICENSING,
        20,
        5,
        1,
        OnlineDepth.PRE_REVIEW,
        0,
        "食品小作坊登记证",
        "《山东省食品小作坊小餐饮和食品摊点管理条例》",
        "有固定生产加工场所，符合食品安全要求。",
        "食品小作坊登记申请书/原件；营业执照/电子证照；生产加工场所平面图/原件；从业人员健康证明/复印件",
        "须现场核查生产加工场所",
    ),
    (
        "公共场所卫生许可",
        "XZSP",
        K.LICENSING,
        20,
        3,
        0,
        OnlineDepth.FULL,
        0,
        "公共场所卫生许可证",
        "《公共场所卫生管理条例》第八条",
        "经营场所和设施符合公共场所卫生标准和要求。",
        "公共场所卫生许可申请表/原件；营业执照/电子证照；卫生检测报告/复印件；卫生管理制度/原件",
    ),
    (
        "药品零售企业经营许可",
        "XZSP",
        K.LICENSING,
        30,
        15,
        1,
        OnlineDepth.PRE_REVIEW,
        0,
        "药品经营许可证",
        "《中华人民共和国药品管理法》第五十二条",
        "有依法经过资格认定的药师或者其他药学技术人员，有相适应的营业场所和设备。",
        "药品经营许可申请表/原件；执业药师注册证/复印件；营业场所平面图/原件",
        "须现场验收营业场所",
    ),
    (
        "第二类医疗器械经营备案",
        "XZSP",
        K.OTHER_POWER,
        5,
        1,
        0,
        OnlineDepth.FULL,
        0,
        "第二类医疗器械经营备案凭证",
        "《医疗器械监督管理条例》第四十一条",
        "有与经营规模和经营范围相适应的经营场所和贮存条件。",
        "第二类医疗器械经营备案表/原件；营业执照/电子证照；经营场所和库房地址证明/复印件",
    ),
    (
        "医疗机构执业登记",
        "XZSP",
        K.LICENSING,
        45,
        15,
        1,
        OnlineDepth.PRE_REVIEW,
        0,
        "医疗机构执业许可证",
        "《医疗机构管理条例》第十五条",
        "按照设置审批文件完成建设，符合医疗机构基本标准。",
        "医疗机构执业登记申请书/原件；医疗机构用房产权证明或使用证明/复印件；医务人员执业证书/复印件",
        "须现场审核执业条件",
    ),
    (
        "母婴保健技术服务执业许可",
        "XZSP",
        K.LICENSING,
        20,
        10,
        1,
        OnlineDepth.PRE_REVIEW,
        0,
        "母婴保健技术服务执业许可证",
        "《中华人民共和国母婴保健法》第三十二条",
        "医疗机构具备开展母婴保健技术服务的条件。",
        "母婴保健技术服务执业许可申请登记书/原件；医疗机构执业许可证/复印件",
        "须现场审核技术服务条件",
    ),
    (
        "城镇污水排入排水管网许可",
        "XZSP",
        K.LICENSING,
        15,
        5,
        0,
        OnlineDepth.FULL,
        0,
        "城镇污水排入排水管网许可证",
        "《城镇排水与污水处理条例》第二十一条",
        "排水设施符合国家和地方标准，排放污水符合排放标准。",
        "排水许可申请表/原件；排水户内部排水管网图/原件；排水水质检测报告/复印件",
    ),
    (
        "设置大型户外广告审批",
        "XZSP",
        K.LICENSING,
        20,
        5,
        0,
        OnlineDepth.FULL,
        0,
        "户外广告设置许可决定书",
        "《城市市容和环境卫生管理条例》第十一条",
        "设置地点符合户外广告设置规划。",
        "户外广告设置申请表/原件；设置效果图/原件；场地使用证明/复印件",
    ),
    # 工程建设
    (
        "建筑工程施工许可证核发",
        "XZSP",
        K.LICENSING,
        15,
        3,
        0,
        OnlineDepth.FULL,
        0,
        "建筑工程施工许可证",
        "《中华人民共和国建筑法》第七条、第八条；《建筑工程施工许可管理办法》",
        "已办理用地批准手续，已取得规划许可证，施工企业已确定，有满足施工需要的资金安排。",
        "建筑工程施工许可申请表/原件；建设工程规划许可证/电子证照；施工合同/复印件；施工图设计文件审查合格书/复印件",
    ),
    (
        "建设工程规划许可证核发",
        "XZSP",
        K.LICENSING,
        20,
        5,
        0,
        OnlineDepth.FULL,
        0,
        "建设工程规划许可证",
        "《中华人民共和国城乡规划法》第四十条",
        "符合控制性详细规划和规划条件。",
        "建设工程规划许可申请表/原件；使用土地的有关证明文件/复印件；建设工程设计方案/原件",
    ),
    (
        "建设用地规划许可证核发",
        "XZSP",
        K.LICENSING,
        20,
        5,
        0,
        OnlineDepth.FULL,
        0,
        "建设用地规划许可证",
        "《中华人民共和国城乡规划法》第三十七条、第三十八条",
        "建设项目已批准、核准或备案，用地符合规划。",
        "建设用地规划许可申请表/原件；建设项目批准、核准或备案文件/复印件；国有土地使用权出让合同/复印件",
    ),
    (
        "商品房预售许可",
        "XZSP",
        K.LICENSING,
        10,
        5,
        0,
        OnlineDepth.FULL,
        0,
        "商品房预售许可证",
        "《中华人民共和国城市房地产管理法》第四十五条；《城市商品房预售管理办法》",
        "已交付全部土地使用权出让金，持有规划许可证和施工许可证，投入开发建设资金达到规定比例。",
        "商品房预售许可申请表/原件；建设工程规划许可证/电子证照；建筑工程施工许可证/电子证照；工程施工进度证明/原件",
    ),
    (
        "建筑业企业资质核准",
        "XZSP",
        K.LICENSING,
        20,
        10,
        0,
        OnlineDepth.FULL,
        0,
        "建筑业企业资质证书",
        "《中华人民共和国建筑法》第十三条；《建筑业企业资质管理规定》",
        "企业净资产、技术负责人、技术人员等符合资质标准。",
        "建筑业企业资质申请表/原件；营业执照/电子证照；技术负责人身份证明及职称证书/复印件",
    ),
    (
        "房屋建筑和市政基础设施工程竣工验收备案",
        "ZJJ",
        K.OTHER_POWER,
        15,
        5,
        0,
        OnlineDepth.FULL,
        0,
        "竣工验收备案表",
        "《建设工程质量管理条例》第四十九条",
        "工程已竣工验收合格。",
        "竣工验收备案表/原件；工程竣工验收报告/原件；施工单位签署的工程质量保修书/复印件",
    ),
    # 人力资源和社会保障
    (
        "就业登记",
        "RSJ",
        K.PUBLIC_SERVICE,
        5,
        1,
        0,
        OnlineDepth.FULL,
        0,
        "就业登记信息",
        "《就业服务与就业管理规定》第六十二条",
        "在法定劳动年龄内、有劳动能力并已就业的劳动者。",
        "居民身份证/电子证照；劳动合同/复印件",
    ),
    (
        "失业登记",
        "RSJ",
        K.PUBLIC_SERVICE,
        5,
        1,
        0,
        OnlineDepth.FULL,
        0,
        "失业登记信息",
        "《就业服务与就业管理规定》第六十三条",
        "法定劳动年龄内、有劳动能力、有就业要求、处于无业状态的城乡劳动者。",
        "居民身份证/电子证照",
    ),
    (
        "失业保险金申领",
        "RSJ",
        K.PAYMENT,
        10,
        3,
        0,
        OnlineDepth.FULL,
        0,
        "失业保险金发放",
        "《失业保险条例》第十四条、第十六条",
        "失业前累计缴费满一年，非因本人意愿中断就业，已办理失业登记并有求职要求。",
        "居民身份证/电子证照；解除或终止劳动关系证明/复印件",
    ),
    (
        "城乡居民基本养老保险参保登记",
        "RSJ",
        K.PUBLIC_SERVICE,
        5,
        1,
        0,
        OnlineDepth.FULL,
        0,
        "参保登记信息",
        "《中华人民共和国社会保险法》第二十条",
        "年满16周岁、非在校学生、未参加职工基本养老保险的城乡居民。",
        "城乡居民基本养老保险参保登记表/原件；居民身份证/电子证照",
    ),
    (
        "城乡居民养老保险待遇申领",
        "RSJ",
        K.PAYMENT,
        10,
        5,
        0,
        OnlineDepth.FULL,
        0,
        "养老保险待遇发放",
        "《国务院关于建立统一的城乡居民基本养老保险制度的意见》（国发〔2014〕8号）",
        "年满60周岁、累计缴费满15年且未领取国家规定的基本养老保障待遇。",
        "城乡居民基本养老保险待遇申领表/原件；居民身份证/电子证照",
    ),
    (
        "职工参保登记",
        "RSJ",
        K.PUBLIC_SERVICE,
        5,
        1,
        0,
        OnlineDepth.FULL,
        0,
        "参保登记信息",
        "《中华人民共和国社会保险法》第五十八条",
        "用人单位自用工之日起三十日内为职工办理。",
        "社会保险参保登记表/原件；营业执照/电子证照",
    ),
    (
        "灵活就业人员参保登记",
        "RSJ",
        K.PUBLIC_SERVICE,
        5,
        1,
        0,
        OnlineDepth.FULL,
        0,
        "参保登记信息",
        "《中华人民共和国社会保险法》第十条",
        "无雇工的个体工商户、未在用人单位参保的非全日制从业人员及其他灵活就业人员。",
        "灵活就业人员参保登记表/原件；居民身份证/电子证照",
    ),
    (
        "养老保险关系转移接续",
        "RSJ",
        K.PUBLIC_SERVICE,
        45,
        15,
        0,
        OnlineDepth.FULL,
        0,
        "基本养老保险关系转移接续联系函",
        "《城镇企业职工基本养老保险关系转移接续暂行办法》",
        "参保人员跨统筹地区流动就业。",
        "基本养老保险关系转移接续申请表/原件；居民身份证/电子证照",
    ),
    (
        "社会保障卡申领",
        "RSJ",
        K.PUBLIC_SERVICE,
        20,
        5,
        0,
        OnlineDepth.FULL,
        0,
        "社会保障卡",
        "《社会保障卡管理办法》",
        "在本区参加社会保险的人员。",
        "社会保障卡申领登记表/原件；居民身份证/电子证照；近期免冠照片/电子证照",
    ),
    (
        "社会保障卡挂失与补换",
        "RSJ",
        K.PUBLIC_SERVICE,
        20,
        5,
        0,
        OnlineDepth.FULL,
        0,
        "社会保障卡",
        "《社会保障卡管理办法》",
        "社会保障卡遗失、损坏或信息变更的持卡人。",
        "社会保障卡补换申请表/原件；居民身份证/电子证照",
    ),
    (
        "个人权益记录查询打印",
        "RSJ",
        K.PUBLIC_SERVICE,
        1,
        0,
        0,
        OnlineDepth.FULL,
        0,
        "社会保险个人权益记录",
        "《社会保险个人权益记录管理办法》第十四条",
        "参保人员本人。",
        "居民身份证/电子证照",
    ),
    (
        "就业创业证申领",
        "RSJ",
        K.PUBLIC_SERVICE,
        5,
        1,
        0,
        OnlineDepth.FULL,
        0,
        "就业创业证",
        "《就业服务与就业管理规定》第六十条",
        "已办理就业或失业登记的劳动者。",
        "居民身份证/电子证照",
    ),
    # 医疗保障
    (
        "城乡居民基本医疗保险参保登记",
        "YBJ",
        K.PUBLIC_SERVICE,
        5,
        1,
        0,
        OnlineDepth.FULL,
        0,
        "参保登记信息",
        "《中华人民共和国社会保险法》第二十五条",
        "未参加职工基本医疗保险的城乡居民。",
        "城乡居民基本医疗保险参保登记表/原件；居民身份证或户口簿/电子证照",
    ),
    (
        "基本医疗保险关系转移接续",
        "YBJ",
        K.PUBLIC_SERVICE,
        15,
        5,
        0,
        OnlineDepth.FULL,
        0,
        "基本医疗保险参保凭证",
        "《流动就业人员基本医疗保障关系转移接续暂行办法》",
        "跨统筹地区流动就业的参保人员。",
        "基本医疗保险关系转移接续申请表/原件；居民身份证/电子证照",
    ),
    (
        "异地就医备案",
        "YBJ",
        K.PUBLIC_SERVICE,
        5,
        0,
        0,
        OnlineDepth.FULL,
        0,
        "异地就医备案信息",
        "《国家医保局 财政部关于进一步做好基本医疗保险跨省异地就医直接结算工作的通知》（医保发〔2022〕22号）",
        "异地安置退休、异地长期居住、常驻异地工作或异地转诊的参保人员。",
        "异地就医备案表/原件；居民身份证/电子证照",
    ),
    (
        "门诊慢特病待遇认定",
        "YBJ",
        K.CONFIRMATION,
        20,
        10,
        1,
        OnlineDepth.PRE_REVIEW,
        0,
        "门诊慢特病待遇资格",
        "《山东省医疗保障局关于统一规范门诊慢特病管理的通知》",
        "患有规定门诊慢特病病种的参保人员。",
        "门诊慢特病申请表/原件；二级以上医院诊断证明及病历/复印件；居民身份证/电子证照",
        "需到定点医疗机构鉴定",
    ),
    (
        "生育保险待遇核准支付",
        "YBJ",
        K.PAYMENT,
        20,
        10,
        0,
        OnlineDepth.FULL,
        0,
        "生育津贴发放",
        "《中华人民共和国社会保险法》第五十四条",
        "参加生育保险的职工生育或实施计划生育手术。",
        "生育保险待遇申请表/原件；出生医学证明/电子证照；居民身份证/电子证照",
    ),
    (
        "零星医疗费用报销",
        "YBJ",
        K.PAYMENT,
        30,
        15,
        0,
        OnlineDepth.FULL,
        0,
        "医疗费用报销",
        "《中华人民共和国社会保险法》第二十九条",
        "因特殊原因未能直接结算医疗费用的参保人员。",
        "医疗费用报销申请表/原件；医疗费用发票/原件；费用明细清单/原件；出院记录/复印件",
    ),
    # 住房公积金（由住建局协助受理）
    (
        "住房公积金个人账户设立",
        "ZJJ",
        K.PUBLIC_SERVICE,
        5,
        1,
        0,
        OnlineDepth.FULL,
        0,
        "住房公积金个人账户",
        "《住房公积金管理条例》第十五条",
        "与单位建立劳动关系的在职职工。",
        "住房公积金缴存登记表/原件；职工居民身份证/电子证照",
    ),
    (
        "住房公积金提取（购房）",
        "ZJJ",
        K.PUBLIC_SERVICE,
        3,
        1,
        0,
        OnlineDepth.FULL,
        0,
        "提取资金到账",
        "《住房公积金管理条例》第二十四条",
        "购买、建造、翻建、大修自住住房的缴存职工。",
        "住房公积金提取申请书/原件；购房合同/复印件；不动产权证书/电子证照",
    ),
    (
        "住房公积金个人住房贷款",
        "ZJJ",
        K.PUBLIC_SERVICE,
        15,
        10,
        1,
        OnlineDepth.PRE_REVIEW,
        0,
        "住房公积金贷款合同",
        "《住房公积金管理条例》第二十六条",
        "连续足额缴存住房公积金满规定期限的职工购买自住住房。",
        "住房公积金贷款申请表/原件；购房合同/复印件；居民身份证/电子证照；婚姻状况证明/复印件",
        "需面签借款合同",
    ),
    (
        "住房公积金缴存证明出具",
        "ZJJ",
        K.PUBLIC_SERVICE,
        1,
        0,
        0,
        OnlineDepth.FULL,
        0,
        "住房公积金缴存证明",
        "《住房公积金管理条例》",
        "缴存职工本人。",
        "居民身份证/电子证照",
    ),
    # 卫生健康、民政、商务、交警、自然资源
    (
        "出生医学证明办理",
        "WJJ",
        K.PUBLIC_SERVICE,
        5,
        1,
        1,
        OnlineDepth.PRE_REVIEW,
        0,
        "出生医学证明",
        "《中华人民共和国母婴保健法》第二十三条",
        "在本区助产机构出生的新生儿。",
        "出生医学证明首次签发登记表/原件；父母居民身份证/复印件",
        "需在签发机构核对新生儿信息",
    ),
    (
        "最低生活保障对象认定",
        "MZ",
        K.PAYMENT,
        30,
        20,
        0,
        OnlineDepth.FULL,
        0,
        "最低生活保障金发放",
        "《社会救助暂行办法》第九条、第十一条",
        "共同生活的家庭成员人均收入低于当地最低生活保障标准且符合财产状况规定。",
        "最低生活保障申请书/原件；家庭成员居民身份证/电子证照；家庭经济状况核对授权书/原件",
    ),
    (
        "高龄津贴发放",
        "MZ",
        K.PAYMENT,
        20,
        10,
        0,
        OnlineDepth.FULL,
        0,
        "高龄津贴发放",
        "《山东省老年人权益保障条例》",
        "具有本区户籍的80周岁以上老年人。",
        "高龄津贴申请表/原件；居民身份证/电子证照",
    ),
    (
        "临时救助",
        "MZ",
        K.PAYMENT,
        15,
        10,
        0,
        OnlineDepth.FULL,
        0,
        "临时救助金发放",
        "《社会救助暂行办法》第四十七条",
        "因突发事件、意外伤害、重大疾病等导致基本生活暂时出现严重困难的家庭或个人。",
        "临时救助申请书/原件；居民身份证/电子证照；相关证明材料/复印件",
    ),
    (
        "对外贸易经营者备案登记",
        "SWJ",
        K.OTHER_POWER,
        5,
        1,
        0,
        OnlineDepth.FULL,
        0,
        "对外贸易经营者备案登记表",
        "《中华人民共和国对外贸易法》第九条",
        "依法办理市场主体登记的法人、其他组织或个人。",
        "对外贸易经营者备案登记表/原件；营业执照/电子证照",
    ),
    (
        "二手车经营主体备案",
        "SWJ",
        K.OTHER_POWER,
        5,
        1,
        0,
        OnlineDepth.FULL,
        0,
        "二手车经营主体备案信息",
        "《二手车流通管理办法》第二十六条",
        "从事二手车交易市场经营、经销、拍卖、经纪的市场主体。",
        "二手车经营主体备案表/原件；营业执照/电子证照；经营场所证明/复印件",
    ),
    (
        "机动车驾驶证补领",
        "JJ",
        K.LICENSING,
        1,
        0,
        1,
        OnlineDepth.PRE_REVIEW,
        10,
        "机动车驾驶证",
        "《机动车驾驶证申领和使用规定》第六十一条",
        "机动车驾驶证遗失的驾驶人。",
        "机动车驾驶证申请表/原件；居民身份证/原件",
        "需现场采集照片或核验身份",
    ),
    (
        "不动产登记资料查询",
        "GTFJ",
        K.PUBLIC_SERVICE,
        1,
        0,
        0,
        OnlineDepth.FULL,
        0,
        "不动产登记资料查询结果",
        "《不动产登记资料查询暂行办法》",
        "权利人、利害关系人及有关国家机关。",
        "不动产登记资料查询申请书/原件；居民身份证/电子证照",
    ),
]
FEE_BASIS = {
    "机动车驾驶证补领": "《财政部 国家发展改革委关于公布取消和免征部分行政事业性收费的通知》保留的证照工本费"
}

# Not in the first batch: the 2021-11-01 adjustment adds these (第二批).
SECOND_BATCH = ["二手车经营主体备案", "不动产登记资料查询", "临时救助"]
# ...and takes these off, with the reason.
REMOVED = {
    "药品零售企业经营许可": "药品零售许可须现场验收营业场所，经两地协商暂不纳入异地代收代办",
    "母婴保健技术服务执业许可": "事项承接部门调整，待重新明确受理标准后再行纳入",
}
# Built but left as a draft: the publish checks in action in the demo.
DRAFTS = ["高龄津贴发放"]

AGREEMENT_CODE = "JNJK-WFBH-2021-01"
FIRST_BATCH_DAY = datetime.date(2021, 7, 1)
ADJUSTMENT_DAY = datetime.date(2021, 11, 1)
BUNDLE_CODE = "ZC-YJS"
BUNDLE_MATTERS = [
    "残疾人证办理",
    "困难残疾人生活补贴",
    "重度残疾人护理补贴",
    "基本养老保险补贴",
    "基本医疗保险补贴",
]


def _body_code(dept_code: str) -> str:
    seq = DEPT_LETTERS[dept_code][1]
    head = f"11{AREA}MB{seq:07d}"
    return head + credit_check_char(head)


def _code(index: int, dept_code: str, kind: str) -> str:
    """National form for even rows, county short form for odd ones (both seen)."""
    letters, _seq = DEPT_LETTERS[dept_code]
    if index % 2 == 0:
        basic = f"{AREA}{letters}{int(kind):02d}{index:04d}"
        return f"{basic}-{AREA}000000-000-{_body_code(dept_code)}-1-00"
    return f"{AREA}00{letters}-{KIND_LETTERS[kind]}-{index:04d}"


def _materials(text: str) -> list[dict]:
    from services.choices import MaterialForm

    forms = {label: code for code, label in MaterialForm.choices}
    items = []
    for part in text.split("；"):
        name, form = part.rsplit("/", 1)
        items.append(
            {
                "name": name,
                "form": forms[form],
                "required": True,
                "copies": 1,
                "source": "申请人自备"
                if forms[form] != "electronic"
                else "电子证照库调取",
                "notes": "",
            }
        )
    return items


def _matter_rows(departments: dict[str, Department]):
    for index, row in enumerate(MATTERS, start=1):
        name, dept, kind, statutory, promised, visits, online, fee = row[:8]
        result_name, legal_basis, conditions, materials = row[8:12]
        reason = row[12] if len(row) > 12 else ""
        data = {
            "code": _code(index, dept, kind),
            "name": name,
            "kind": kind,
            "department": departments[dept],
            "body_code": _body_code(dept),
            "legal_basis": legal_basis,
            "conditions": conditions,
            "procedure": "申请 → 受理 → 审查 → 决定 → 送达（可邮寄或就近领取）",
            "handling_type": HandlingType.IMMEDIATE
            if promised == 0
            else HandlingType.PROMISED,
            "statutory_days": statutory,
            "promised_days": promised,
            "visits": visits,
            "visits_reason": reason,
            "fee": Decimal(fee),
            "fee_basis": FEE_BASIS.get(name, ""),
            "online_depth": online,
            "mail_supported": True,
            "result_name": result_name,
            "result_type": ResultType.CERTIFICATE
            if any(w in result_name for w in ("证", "执照"))
            else ResultType.OTHER,
            "tongban_scope": TongbanScope.NONE,
            "location": f"{HALL}（{departments[dept].short_name}窗口）",
            "contact_phone": PHONE,
        }
        yield name, data, _materials(materials)


def seed(stdout=None) -> str:
    local = District.objects.get(kind=DistrictKind.LOCAL)
    departments = {d.code: d for d in Department.objects.filter(district=local)}
    partner = District.objects.get(code="370790")
    by_name: dict[str, Matter] = {}
    created = 0
    first_batch = [
        name
        for name, *_rest in MATTERS
        if name not in SECOND_BATCH and name not in DRAFTS
    ][:50]
    for name, data, materials in _matter_rows(departments):
        on_list = name in first_batch or name in SECOND_BATCH
        if on_list and name not in REMOVED:
            data["tongban_scope"] = TongbanScope.PROVINCE
        matter = Matter.objects.filter(code=data["code"]).first()
        if matter is None:
            matter = actions.matter_create(actor=None, data=data, materials=materials)
            created += 1
            if name not in DRAFTS:
                matter = actions.matter_publish(
                    actor=None, matter=matter, expected_version=matter.version
                )
        else:
            matter = actions.matter_update(
                actor=None,
                matter=matter,
                data=data,
                materials=materials,
                expected_version=matter.version,
            )
        by_name[name] = matter

    agreement = Agreement.objects.filter(code=AGREEMENT_CODE).first()
    if agreement is None:
        agreement = actions.agreement_create(
            actor=None,
            data={
                "code": AGREEMENT_CODE,
                "title": "济宁经开区与潍坊滨海经济技术开发区“全省通办”合作协议",
                "partner": partner,
                "modes": [AgreementMode.ONLINE, AgreementMode.PROXY],
                "signed_on": datetime.date(2021, 6, 25),
                "effective_on": FIRST_BATCH_DAY,
                "summary": (
                    "异地受理、属地审批、就近取照、免费邮寄；两地政务服务大厅设立“全省通办”专区，"
                    "提供帮办代办和远程视频收件预审；两地明确日常工作联络员，依托钉钉、微信等平台沟通。"
                ),
            },
            liaisons=[
                {
                    "side": LiaisonSide.LOCAL,
                    "name": "马玉珠",
                    "department": "济宁经济技术开发区行政审批服务局",
                    "phone": "13905379812",
                },
                {
                    "side": LiaisonSide.PARTNER,
                    "name": "孙晓东",
                    "department": "潍坊滨海经济技术开发区行政审批服务局",
                    "phone": "13853667015",
                },
            ],
        )
    if not agreement.entries.exists():
        for name in first_batch:
            actions.agreement_matter_add(
                actor=None,
                agreement=agreement,
                matter=by_name[name],
                batch="首批",
                effective_from=FIRST_BATCH_DAY,
            )
        for name, reason in REMOVED.items():
            entry = agreement.entries.get(matter=by_name[name], effective_to=None)
            actions.agreement_matter_remove(
                actor=None,
                entry=entry,
                effective_to=ADJUSTMENT_DAY,
                reason=reason,
                expected_version=entry.version,
            )
        for name in SECOND_BATCH:
            actions.agreement_matter_add(
                actor=None,
                agreement=agreement,
                matter=by_name[name],
                batch="第二批（动态调整）",
                effective_from=ADJUSTMENT_DAY,
            )
    bundle = Bundle.objects.filter(code=BUNDLE_CODE).first()
    if bundle is None:
        actions.bundle_create(
            actor=None,
            data={
                "code": BUNDLE_CODE,
                "name": "助残“一件事”",
                "description": (
                    "一次性综合受理残疾人证办理、困难残疾人生活补贴、重度残疾人护理补贴、"
                    "基本养老保险补贴、基本医疗保险补贴，网上审批、全程网办，让残疾群众“只跑一趟”。"
                ),
                "window": "区为民服务中心和疃里镇、马集镇为民服务大厅助残“一件事”专窗",
            },
            matters=[by_name[name] for name in BUNDLE_MATTERS],
        )
    published = sum(1 for m in by_name.values() if m.status == MatterStatus.PUBLISHED)
    return (
        f"事项目录：{len(by_name)} 项（新建 {created}，已发布 {published}），"
        f"通办协议“{agreement.title}”首批 50 项及 {ADJUSTMENT_DAY} 调整，助残“一件事”5 项"
    )
