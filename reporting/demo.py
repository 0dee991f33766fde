"""Demo records of reporting: one funded project over all three programme lines,
its yearly and quarterly periods and a draft report for the quarter just ended.

Called by ``python manage.py load_demo`` after the other apps, so the figures come
from their demo records; the KPI definitions themselves are seeded by migration.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from portal.programme import ProgrammeLine
from portal.roles import Role

from .models import Project
from .services import period_get_or_create, previous_quarter, report_get_or_create_draft


def load_demo(*, stdout) -> None:
    today = timezone.localdate()
    project, created = Project.objects.get_or_create(
        code="sd-ipo-2025",
        defaults={
            "name": "山东省知识产权运营服务体系建设项目",
            "programme_lines": list(ProgrammeLine.values),
            "funder_name": "国家知识产权局 · 山东省财政厅",
            "starts_on": dt.date(today.year - 1, 7, 1),
            "ends_on": dt.date(today.year + 1, 6, 30),
        },
    )
    funders = get_user_model().objects.filter(groups__name=Role.FUNDER.value)
    project.funders.add(*funders)
    period_get_or_create(year=today.year)
    year, quarter = previous_quarter(today=today)
    report_get_or_create_draft(
        project=project, period=period_get_or_create(year=year, quarter=quarter)
    )
    stdout.write(
        f"reporting: project {project.code} ({'created' if created else 'kept'}), "
        f"{funders.count()} funder account(s) attached, draft report {year}Q{quarter}\n"
    )
