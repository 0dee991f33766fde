"""The funding guide's conditions as data (issue 15).

Line 2's transfer KPIs count patents that enterprises in the Yellow River provinces
receive from universities and institutes; line 3's count those that in-province
(Shandong, GB/T 2260 "37") enterprises receive; the talent KPI counts people, not
inventor mentions; events count when held (with attendance or outcomes) and training
when completed. A definition staff have edited since it was seeded is left alone.
"""

from django.db import migrations

LICENCE_KINDS = ["licence_exclusive", "licence_sole", "licence_ordinary", "open_licence",
                 "pool_licence"]
TRANSFER_OR_LICENCE = ["transfer", *LICENCE_KINDS]
ACADEMIC = ["university", "institute"]
# Qinghai, Sichuan, Gansu, Ningxia, Inner Mongolia, Shanxi, Shaanxi, Henan, Shandong.
YELLOW_RIVER = ["63", "51", "62", "64", "15", "14", "61", "41", "37"]
HOME_PROVINCE = ["37"]

L2_PARAMS = {"kinds": TRANSFER_OR_LICENCE, "assignor_kinds": ACADEMIC,
             "assignee_kinds": ["enterprise"], "assignee_region_prefixes": YELLOW_RIVER}
L3_PARAMS_KINDS = [*TRANSFER_OR_LICENCE, "equity"]
L3_PARAMS = {"kinds": L3_PARAMS_KINDS, "assignee_kinds": ["enterprise"],
             "assignee_region_prefixes": HOME_PROVINCE}

# code: (seeded measure, seeded params, new fields)
UPDATES = {
    "l1-pushes": ("push_items_sent", {}, dict(
        computation_zh="统计期内经渠道确认送达（服务商回执或SMTP受理）的推送条目数；日志渠道不计",
        computation_en="Items pushed in the period whose channel confirmed delivery (provider "
        "receipt or accepted SMTP hand-off); log channels never count",
        evidence_zh="推送记录与渠道送达回执", evidence_en="Push records and channel receipts")),
    "l1-open-licence-pushes": ("push_items_sent", {"kinds": ["open_licence"]}, dict(
        computation_zh="统计期内经渠道确认送达的开放许可推送条目数；日志渠道不计",
        computation_en="Open-licence items pushed in the period whose channel confirmed "
        "delivery; log channels never count",
        evidence_zh="推送记录与渠道送达回执", evidence_en="Push records and channel receipts")),
    "l2-open-licence-pushes": ("push_items_sent", {"kinds": ["open_licence"]}, dict(
        computation_zh="统计期内经渠道确认送达的开放许可推送条目数；日志渠道不计",
        computation_en="Open-licence items pushed in the period whose channel confirmed "
        "delivery; log channels never count",
        evidence_zh="推送记录与渠道送达回执", evidence_en="Push records and channel receipts")),
    "l1-matchmaking": ("events_held", {"kinds": ["matchmaking", "roadshow"]}, dict(
        computation_zh="统计期内已举办的对接会与路演场次：状态为已举办、日期已过且有签到或成果记录",
        computation_en="Matchmaking events and roadshows held in the period: marked held, "
        "date passed, and check-ins or outcomes recorded")),
    "l2-events": ("events_held", {}, dict(
        computation_zh="统计期内已举办的各类活动场次：状态为已举办、日期已过且有签到或成果记录",
        computation_en="Events of every kind held in the period: marked held, date passed, "
        "and check-ins or outcomes recorded")),
    "l3-events": ("events_held", {}, dict(
        computation_zh="统计期内已举办的活动场次：状态为已举办、日期已过且有签到或成果记录",
        computation_en="Events held in the period: marked held, date passed, and check-ins "
        "or outcomes recorded")),
    "l2-patents": ("deal_patents", {"kinds": TRANSFER_OR_LICENCE}, dict(
        name_zh="黄河流域企业承接高校院所转让许可专利件数",
        name_en="Patents enterprises in the Yellow River provinces receive from universities "
        "and institutes",
        measure_params=L2_PARAMS,
        computation_zh="转让/许可方为高校或科研院所、受让/被许可方为黄河流域九省区企业，且有备案或付款"
        "证据的合同所含专利件数；合作市场导入的交易单列、不计入",
        computation_en="Patents in deals from a university or institute to an enterprise in "
        "the nine Yellow River provinces, backed by recordal or payment evidence; deals "
        "imported from partner markets are shown beside, not counted")),
    "l2-amount": ("deal_amount", {"kinds": TRANSFER_OR_LICENCE}, dict(
        name_zh="黄河流域企业承接高校院所转让许可金额",
        name_en="Amount of transfers and licences from universities and institutes to "
        "enterprises in the Yellow River provinces",
        measure_params=L2_PARAMS,
        computation_zh="上述合同金额之和（元）；合作市场导入的交易单列、不计入",
        computation_en="Sum of those deals' amounts (RMB); imported deals shown beside")),
    "l3-patents": ("deal_patents", {"kinds": L3_PARAMS_KINDS}, dict(
        name_zh="省内企业承接专利转让许可及作价入股件数",
        name_en="Patents in-province enterprises receive by transfer, licence or equity",
        measure_params=L3_PARAMS,
        computation_zh="受让/被许可方为省内（山东）企业，且有备案或付款证据的转让、许可、作价入股合同所含"
        "专利件数",
        computation_en="Patents in transfer, licence and equity deals received by in-province "
        "(Shandong) enterprises, backed by recordal or payment evidence")),
    "l3-amount": ("deal_amount", {"kinds": L3_PARAMS_KINDS}, dict(
        name_zh="省内企业承接专利转让许可及作价入股金额",
        name_en="Amount of transfers, licences and equity received by in-province enterprises",
        measure_params=L3_PARAMS,
        computation_zh="上述合同金额之和（元）", computation_en="Sum of those deals' amounts (RMB)")),
    "l3-talent-records": ("talent_records_held", {}, dict(
        measure="talents_counted", measure_params={}, unit="people",
        name_zh="人才数据量（人）", name_en="People in the talent base",
        computation_zh="统计期末人才库中已消歧、关联专利且未被撤下的人数（按人计，不按发明人署名次数计）",
        computation_en="People in the talent base at the end of the period: resolved, linked "
        "to patents, not withdrawn (people, not inventor mentions)",
        evidence_zh="人才库记录", evidence_en="Talent registry records")),
    "l3-trained": ("trainees_trained", {}, dict(
        computation_zh="统计期内结业（到课且考核通过）的人数；仅报名或仅到课不计",
        computation_en="People who completed training in the period (attended and passed); "
        "enrolment or attendance alone does not count")),
}


def apply(apps, schema_editor):
    KpiDefinition = apps.get_model("reporting", "KpiDefinition")
    for code, (measure, params, fields) in UPDATES.items():
        definition = KpiDefinition.objects.filter(code=code).first()
        if definition is None:
            continue
        if definition.measure != measure or (definition.measure_params or {}) != params:
            continue  # edited by staff since it was seeded
        for name, value in fields.items():
            setattr(definition, name, value)
        definition.save()


class Migration(migrations.Migration):
    dependencies = [("reporting", "0004_kpi_imported_and_evidence_type")]

    operations = [migrations.RunPython(apply, migrations.RunPython.noop)]
