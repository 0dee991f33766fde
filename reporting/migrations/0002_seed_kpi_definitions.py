"""The funding guide's targets for the three programme lines (issue 8).

Staff edit targets and parameters in the admin afterwards; this only creates
definitions that are missing, so re-running never overwrites an edit.
"""

from django.db import migrations

LICENCE_KINDS = ["licence_exclusive", "licence_sole", "licence_ordinary", "open_licence",
                 "pool_licence"]
TRANSFER_OR_LICENCE = ["transfer", *LICENCE_KINDS]
ACADEMIC = ["university", "institute"]

PATENT_EVIDENCE_ZH = "每件专利对应的合同编号、备案号、转让/许可方与受让/被许可方"
PATENT_EVIDENCE_EN = "For each patent: contract number, recordal number, both parties"
AMOUNT_EVIDENCE_ZH = "每笔交易的合同、备案号与合同金额"
AMOUNT_EVIDENCE_EN = "Each deal's contract, recordal number and amount"

# (code, line, position, name_zh, name_en, target, unit, comparison, measure, params,
#  either_group, computation_zh, computation_en, evidence_zh, evidence_en)
KPIS = [
    # --- Line 1: industry IP operations -------------------------------------------
    ("l1-pushes", "industry_operations", 10, "精准推送专利信息条数", "Precise pushes sent",
     1000, "items", "gte", "push_items_sent", {}, "",
     "统计期内发送给企业的推送条目数（同一条目不重复推送给同一机构）",
     "Items pushed to organizations in the period (never the same item to the same org twice)",
     "推送记录与送达日志", "Push records and delivery logs"),
    ("l1-matchmaking", "industry_operations", 20, "举办供需对接活动场次",
     "Matchmaking events held", 10, "events", "gte", "events_held",
     {"kinds": ["matchmaking", "roadshow"]}, "",
     "统计期内已举办（不含取消）的对接会与路演场次", "Matchmaking events and roadshows held "
     "in the period (cancelled ones excluded)", "活动通知、签到表与现场记录",
     "Event notices, attendance lists and records"),
    ("l1-academic-patents", "industry_operations", 30, "高校院所向企业转让许可专利件数",
     "Patents transferred or licensed from universities and institutes to enterprises", 100,
     "patents", "gte", "deal_patents",
     {"kinds": TRANSFER_OR_LICENCE, "assignor_kinds": ACADEMIC,
      "assignee_kinds": ["enterprise"]}, "l1-transfer",
     "已签订或备案（不含取消）的转让、许可合同所含专利件数，一份合同多件专利逐件计",
     "Patents in signed or recorded (not cancelled) transfer and licence deals; a deal with "
     "several patents counts each", PATENT_EVIDENCE_ZH, PATENT_EVIDENCE_EN),
    ("l1-academic-amount", "industry_operations", 40, "高校院所向企业转让许可金额",
     "Amount of transfers and licences from universities and institutes to enterprises",
     10_000_000, "rmb", "gte", "deal_amount",
     {"kinds": TRANSFER_OR_LICENCE, "assignor_kinds": ACADEMIC,
      "assignee_kinds": ["enterprise"]}, "l1-transfer",
     "上述合同的合同金额之和（元）", "Sum of those deals' amounts (RMB)",
     AMOUNT_EVIDENCE_ZH, AMOUNT_EVIDENCE_EN),
    ("l1-open-licence-pushes", "industry_operations", 50, "开放许可专利推送条数",
     "Open-licence items pushed", 1000, "items", "gte", "push_items_sent",
     {"kinds": ["open_licence"]}, "", "统计期内推送的开放许可条目数",
     "Open-licence items pushed in the period", "推送记录与送达日志",
     "Push records and delivery logs"),
    ("l1-open-licences", "industry_operations", 60, "达成开放许可数",
     "Open licences concluded", 50, "licences", "gt", "open_licences_concluded", {}, "",
     "统计期内达成的开放许可（不含撤回）", "Open licences concluded in the period (withdrawn "
     "ones excluded)", "开放许可实施合同与备案", "Open-licence contracts and recordals"),
    # --- Line 2: Yellow River regional trading hub ---------------------------------
    ("l2-events", "trading_hub", 10, "举办交易运营活动场次", "Activities held", 10, "events",
     "gte", "events_held", {}, "", "统计期内已举办的各类活动场次（不含取消）",
     "Events of every kind held in the period (cancelled ones excluded)",
     "活动通知、签到表与现场记录", "Event notices, attendance lists and records"),
    ("l2-needs", "trading_hub", 20, "征集发布技术需求条数",
     "Technology needs collected and published", 1000, "items", "gte", "needs_published", {},
     "", "统计期内发布的技术需求条数", "Technology needs published in the period",
     "需求登记记录", "Need records"),
    ("l2-patents", "trading_hub", 30, "专利转让许可件数", "Patents transferred or licensed",
     100, "patents", "gte", "deal_patents", {"kinds": TRANSFER_OR_LICENCE}, "l2-transfer",
     "已签订或备案的转让、许可合同所含专利件数", "Patents in signed or recorded transfer and "
     "licence deals", PATENT_EVIDENCE_ZH, PATENT_EVIDENCE_EN),
    ("l2-amount", "trading_hub", 40, "专利转让许可金额", "Amount of transfers and licences",
     10_000_000, "rmb", "gte", "deal_amount", {"kinds": TRANSFER_OR_LICENCE}, "l2-transfer",
     "上述合同金额之和（元）", "Sum of those deals' amounts (RMB)", AMOUNT_EVIDENCE_ZH,
     AMOUNT_EVIDENCE_EN),
    ("l2-listed-amount", "trading_hub", 50, "挂牌交易金额", "Amount listed", 200_000_000,
     "rmb", "gte", "listings_amount", {}, "l2-listing", "统计期内挂牌项目的挂牌价之和（元）",
     "Sum of asking prices of listings listed in the period (RMB)", "挂牌公告",
     "Listing notices"),
    ("l2-deals-equity-amount", "trading_hub", 60, "专利交易及股权融资金额",
     "Patent deals plus equity financing", 500_000_000, "rmb", "gte", "deal_amount",
     {"kinds": [*TRANSFER_OR_LICENCE, "equity"]}, "l2-listing",
     "统计期内专利交易与作价入股合同金额之和（元）",
     "Sum of patent deals and equity contributions in the period (RMB)",
     AMOUNT_EVIDENCE_ZH, AMOUNT_EVIDENCE_EN),
    ("l2-open-licence-pushes", "trading_hub", 70, "开放许可专利推送条数",
     "Open-licence items pushed", 1000, "items", "gte", "push_items_sent",
     {"kinds": ["open_licence"]}, "", "统计期内推送的开放许可条目数",
     "Open-licence items pushed in the period", "推送记录与送达日志",
     "Push records and delivery logs"),
    ("l2-open-licences", "trading_hub", 80, "达成开放许可数", "Open licences concluded", 50,
     "licences", "gt", "open_licences_concluded", {}, "", "统计期内达成的开放许可（不含撤回）",
     "Open licences concluded in the period (withdrawn ones excluded)",
     "开放许可实施合同与备案", "Open-licence contracts and recordals"),
    ("l2-partner-markets", "trading_hub", 90, "对接合作交易市场数", "Partner markets connected",
     None, "markets", "gte", "partner_markets", {}, "", "已对接的合作交易市场数",
     "Partner markets connected", "合作协议", "Cooperation agreements"),
    # --- Line 3: talent + patents ---------------------------------------------------
    ("l3-talent-records", "talent", 10, "人才数据量", "Talent records held", 60_000_000,
     "records", "gte", "talent_records_held", {}, "", "统计期末库中的人才记录数",
     "Talent records held at the end of the period", "人才库记录", "Talent registry records"),
    ("l3-patent-records", "talent", 20, "专利数据量", "Patent records held", 100_000_000,
     "records", "gte", "patents_held", {}, "", "统计期末库中的专利记录数",
     "Patent records held at the end of the period", "专利库记录（含数据来源文件与行号）",
     "Patent records (with source file and line)"),
    ("l3-supply", "talent", 30, "发布人才关联供给信息条数",
     "Talent-linked supply items published", 5000, "items", "gte", "supply_items_published",
     {}, "", "统计期内发布的人才关联供给信息条数", "Talent-linked supply items published in "
     "the period", "供给信息发布记录", "Publication records"),
    ("l3-events", "talent", 40, "举办活动场次", "Events held", 10, "events", "gte",
     "events_held", {}, "", "统计期内已举办的活动场次（不含取消）",
     "Events held in the period (cancelled ones excluded)", "活动通知、签到表与现场记录",
     "Event notices, attendance lists and records"),
    ("l3-patents", "talent", 50, "专利转让许可及作价入股件数",
     "Patents transferred, licensed or contributed as equity", 100, "patents", "gte",
     "deal_patents", {"kinds": [*TRANSFER_OR_LICENCE, "equity"]}, "l3-transfer",
     "已签订或备案的转让、许可、作价入股合同所含专利件数",
     "Patents in signed or recorded transfer, licence and equity deals",
     PATENT_EVIDENCE_ZH, PATENT_EVIDENCE_EN),
    ("l3-amount", "talent", 60, "专利转让许可及作价入股金额",
     "Amount of transfers, licences and equity contributions", 10_000_000, "rmb", "gte",
     "deal_amount", {"kinds": [*TRANSFER_OR_LICENCE, "equity"]}, "l3-transfer",
     "上述合同金额之和（元）", "Sum of those deals' amounts (RMB)", AMOUNT_EVIDENCE_ZH,
     AMOUNT_EVIDENCE_EN),
    ("l3-trained", "talent", 70, "培训人数", "People trained", 1000, "people", "gte",
     "trainees_trained", {}, "", "统计期内完成培训的人数", "People trained in the period",
     "培训签到表与结业记录", "Attendance lists and completion records"),
]


def seed(apps, schema_editor):
    KpiDefinition = apps.get_model("reporting", "KpiDefinition")
    for (code, line, position, name_zh, name_en, target, unit, comparison, measure, params,
         group, comp_zh, comp_en, ev_zh, ev_en) in KPIS:
        KpiDefinition.objects.get_or_create(
            code=code,
            defaults=dict(
                programme_line=line, position=position, name_zh=name_zh, name_en=name_en,
                target_value=target, unit=unit, comparison=comparison, measure=measure,
                measure_params=params, either_group=group, computation_zh=comp_zh,
                computation_en=comp_en, evidence_zh=ev_zh, evidence_en=ev_en,
            ),
        )


def unseed(apps, schema_editor):
    apps.get_model("reporting", "KpiDefinition").objects.filter(
        code__in=[row[0] for row in KPIS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_kpi_registry_projects_reports")]
    operations = [migrations.RunPython(seed, unseed)]
