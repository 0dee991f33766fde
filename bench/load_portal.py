"""Load test of the portal on loopback (locust): N logged-in users for T minutes.

Three kinds of users (weights 6:2:2 of N):
- enterprise users browse the home page, open real patent pages, page
  through the patents API with their token, read the privacy notice and their
  requests, and submit technology needs through the public need form
  (captcha solved the way a person would: the answer is read from the
  captcha store, the server runs no test mode);
- centre staff search patents (full text, words of real titles; search is a
  staff tool) and open published needs, which runs the matcher (top 20);
- funders open their project and download the issued KPI report (PDF, Excel).

Patent numbers and search words come from the real CN dataset the portal
imported (data/cn_patents_zh), not invented ones. The load organizations,
published needs and the report are LOAD DATA DERIVED FROM REAL RECORDS: the
organizations are named after real universities of data/cn_universities with
"（负载测试）" appended, the needs ask for the subject of a real patent title.

Setup (creates N load users with tokens; prints nothing secret):

    DATABASE_URL=... .venv/bin/python bench/load_portal.py setup --users 50

Run (server started separately, e.g. gunicorn on 127.0.0.1:8031):

    .venv/bin/locust -f bench/load_portal.py --headless -u 50 -r 10 -t 5m \
        --host http://127.0.0.1:8031 --csv var/load --only-summary
    .venv/bin/python bench/load_portal.py report var/load_stats.csv
"""

from __future__ import annotations

import csv
import os
import random
import sys
from pathlib import Path

LOAD_PASSWORD = os.environ.get("LOAD_PASSWORD", "Load-Test-Password-2026")
NUMBERS_FILE = Path(__file__).resolve().parent.parent / "var" / "load_numbers.txt"


def _setup(users: int) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from rest_framework.authtoken.models import Token

    from matching.models import TechNeed
    from patents.models import Organization, Patent
    from portal.models import UserProfile
    from portal.programme import ProgrammeLine
    from reporting.models import Project, Report, ReportingPeriod
    from reporting.services import report_issue, report_render

    User = get_user_model()
    universities = _real_university_names()
    tokens = []
    for n in range(users):
        user, _ = User.objects.get_or_create(username=f"load_user_{n}")
        user.set_password(LOAD_PASSWORD)
        user.save()
        user.groups.add(Group.objects.get(name="enterprise"))
        org, _ = Organization.objects.get_or_create(
            normalized_name=f"{universities[n % len(universities)]}（负载测试）",
            defaults={
                "name": f"{universities[n % len(universities)]}（负载测试）",
                "kind": Organization.Kind.ENTERPRISE,
                "country": "CN",
            },
        )
        UserProfile.objects.update_or_create(
            user=user, defaults={"organization": org, "mobile": f"1380013{n:04d}"}
        )
        tokens.append(Token.objects.get_or_create(user=user)[0].key)
    for role, prefix in (("centre_staff", "load_staff"), ("funder", "load_funder")):
        for n in range(max(users // 5, 1)):
            user, _ = User.objects.get_or_create(username=f"{prefix}_{n}")
            user.set_password(LOAD_PASSWORD)
            user.save()
            user.groups.add(Group.objects.get(name=role))
    real = Patent.objects.exclude(source_dataset__startswith="fault-drill")
    numbers = list(real.order_by("?").values_list("publication_number", flat=True)[:2000])
    titles = list(real.order_by("?").values_list("title", flat=True)[:200])
    # Published needs derived from real titles: staff open them (the matcher runs).
    owner = Organization.objects.filter(normalized_name__endswith="（负载测试）").first()
    need_ids = []
    for title in titles[:20]:
        need, _ = TechNeed.objects.get_or_create(
            organization=owner,
            title=f"寻求{title[:40]}相关技术（负载测试）",
            defaults={
                "description": (
                    f"负载测试数据，派生自真实专利标题：{title}。寻求相关技术的许可或转让。"
                ),
                "industry": "mechanical",
                "cooperation_mode": "licence",
                "contact_name": "负载测试",
                "contact_mobile": "13800138000",
                "status": TechNeed.Status.PUBLISHED,
            },
        )
        need_ids.append(need.pk)
    # One issued KPI report the funders download.
    project, _ = Project.objects.get_or_create(
        code="load-test",
        defaults={
            "name": "山东省知识产权运营服务体系建设项目（负载测试）",
            "programme_lines": [line.value for line in ProgrammeLine],
            "funder_name": "国家知识产权局",
            "starts_on": dt.date(2025, 7, 1),
            "ends_on": dt.date(2027, 6, 30),
        },
    )
    project.funders.add(*User.objects.filter(username__startswith="load_funder_"))
    period, _ = ReportingPeriod.objects.get_or_create(
        label="2026",
        defaults={
            "kind": ReportingPeriod.Kind.YEAR,
            "start": dt.date(2026, 1, 1),
            "end": dt.date(2027, 1, 1),
        },
    )
    report, _ = Report.objects.get_or_create(project=project, period=period)
    if not report.is_issued:
        report_issue(report=report)
    if not Report.objects.get(pk=report.pk).pdf_file:
        report_render(report_id=report.pk)  # in-process, no worker needed
    # The matcher needs the IPC model; built lazily it takes a minute inside the
    # first request of every gunicorn worker, longer than the worker timeout
    # (the first recorded run failed on exactly that). Build it once here.
    from patents.tagging.model import load_model

    load_model(build_if_missing=True)
    NUMBERS_FILE.parent.mkdir(exist_ok=True)
    NUMBERS_FILE.write_text("\n".join(numbers))
    (NUMBERS_FILE.parent / "load_tokens.txt").write_text("\n".join(tokens))
    words = sorted({t[2:6] for t in titles if len(t) > 6})
    (NUMBERS_FILE.parent / "load_words.txt").write_text("\n".join(words))
    (NUMBERS_FILE.parent / "load_needs.txt").write_text("\n".join(map(str, need_ids)))
    (NUMBERS_FILE.parent / "load_report.txt").write_text(f"{project.pk} {report.pk}")
    print(
        f"{users} load users, {len(numbers)} real patent numbers, {len(words)} search words, "
        f"{len(need_ids)} published needs, report {report.pk}"
    )


def _real_university_names() -> list[str]:
    path = Path(__file__).resolve().parent.parent / "data" / "cn_universities"
    source = next(path.glob("*.csv"))
    with source.open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    column = next((i for i, h in enumerate(header) if "名称" in h or "name" in h.lower()), 1)
    return [r[column] for r in rows[1:] if len(r) > column and r[column]][:200]


def _report(stats_csv: str) -> None:
    with open(stats_csv, newline="") as handle:
        rows = list(csv.DictReader(handle))
    total = next(r for r in rows if r["Name"] == "Aggregated")
    print(
        f"requests {total['Request Count']}  failures {total['Failure Count']}  "
        f"rps {float(total['Requests/s']):.1f}  median {total['50%']} ms  "
        f"p95 {total['95%']} ms  p99 {total['99%']} ms  "
        f"max {float(total['Max Response Time']):.0f} ms"
    )
    for row in rows:
        if row["Name"] != "Aggregated":
            print(
                f"  {row['Type']:5} {row['Name']:40} n={row['Request Count']:>6} "
                f"fail={row['Failure Count']:>3} p95={row['95%']} ms"
            )
    # An exception inside a task is not a failed request, so it is not in the stats:
    # a task that crashes before its request would otherwise pass silently.
    exceptions = Path(stats_csv.replace("_stats.csv", "_exceptions.csv"))
    if exceptions.exists():
        with exceptions.open(newline="") as handle:
            crashed = list(csv.DictReader(handle))
        print(f"task exceptions {sum(int(r['Count']) for r in crashed)}")
        for row in crashed:
            print(f"  {row['Count']:>6} x {row['Message']}")


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "setup":
        count = int(sys.argv[sys.argv.index("--users") + 1]) if "--users" in sys.argv else 50
        _setup(count)
    elif len(sys.argv) >= 3 and sys.argv[1] == "report":
        _report(sys.argv[2])
    else:
        print(__doc__)
    sys.exit(0)


# --- locust ------------------------------------------------------------------------
import itertools  # noqa: E402
import re  # noqa: E402

from locust import HttpUser, between, task  # noqa: E402

NUMBERS = NUMBERS_FILE.read_text().split() if NUMBERS_FILE.exists() else []
_VAR = NUMBERS_FILE.parent


def _lines(name: str) -> list[str]:
    path = _VAR / name
    return path.read_text(encoding="utf-8").split() if path.exists() else []


TOKENS = _lines("load_tokens.txt")
WORDS = _lines("load_words.txt")
NEEDS = _lines("load_needs.txt")
REPORT = _lines("load_report.txt")
_user_ids = itertools.count()
_staff_ids = itertools.count()
_funder_ids = itertools.count()
NEEDS_PER_USER = 9  # matching.views.public.FORM_RATE is 10 an hour per account
CAPTCHA_KEY = re.compile(
    r'name="captcha_0"[^>]*value="([0-9a-f]+)"|value="([0-9a-f]+)"[^>]*name="captcha_0"'
)


def _captcha_answer(key: str) -> str:
    """What a person reads off the image: the stored answer (load test only)."""
    import psycopg2

    # The same database the server uses: locust must run with its DATABASE_URL.
    with psycopg2.connect(os.environ["DATABASE_URL"]) as conn, conn.cursor() as cur:
        cur.execute("SELECT response FROM captcha_captchastore WHERE hashkey = %s", [key])
        row = cur.fetchone()
    return row[0] if row else ""


class _LoggedIn(HttpUser):
    abstract = True
    wait_time = between(1, 3)

    def login(self, username: str) -> None:
        page = self.client.get("/accounts/login/", name="login form")
        csrf = page.cookies.get("csrftoken") or self.client.cookies.get("csrftoken", "")
        self.client.post(
            "/accounts/login/",
            {"username": username, "password": LOAD_PASSWORD, "csrfmiddlewaretoken": csrf},
            headers={"Referer": self.host + "/accounts/login/"},
            name="login",
        )


class PortalUser(_LoggedIn):
    """An enterprise user."""

    weight = 6

    needs_sent = 0

    def on_start(self):
        self.n = next(_user_ids) % max(len(TOKENS), 1)
        self.token = TOKENS[self.n] if TOKENS else ""
        self.login(f"load_user_{self.n}")

    @task(4)
    def home(self):
        self.client.get("/", name="home")

    @task(5)
    def patent_page(self):
        if NUMBERS:
            self.client.get(f"/patents/{random.choice(NUMBERS)}/", name="patent page")

    @task(2)
    def api_list(self):
        page = random.randint(1, 20)
        self.client.get(
            f"/api/v1/patents/?page={page}",
            name="api patents list",
            headers={"Authorization": f"Token {self.token}"},
        )

    @task(2)
    def api_detail(self):
        if NUMBERS:
            self.client.get(
                f"/api/v1/patents/{random.choice(NUMBERS)}/",
                name="api patent detail",
                headers={"Authorization": f"Token {self.token}"},
            )

    @task(1)
    def privacy(self):
        self.client.get("/privacy/", name="privacy notice")
        self.client.get("/privacy/requests/", name="my requests")

    @task(1)
    def submit_need(self):
        form = self.client.get("/matching/needs/new/", name="need form")
        # The form allows an account 10 needs an hour (429 beyond, by design); a user
        # of this test keeps under it, as a real enterprise does, and only opens the form.
        if self.needs_sent >= NEEDS_PER_USER:
            return
        self.needs_sent += 1
        match = CAPTCHA_KEY.search(form.text)
        if not match:
            return
        key = match.group(1) or match.group(2)
        csrf = self.client.cookies.get("csrftoken", "")
        title = f"寻求{random.choice(WORDS) if WORDS else '驱鸟'}相关技术（负载测试）"
        with self.client.post(
            "/matching/needs/new/",
            {
                "title": title,
                "description": "负载测试数据：寻求与真实专利标题相关的技术许可或转让，用于压测。",
                "industry": "mechanical",
                "cooperation_mode": "licence",
                "budget_range": "negotiable",
                "contact_name": "负载测试",
                "contact_mobile": "13800138000",
                "captcha_0": key,
                "captcha_1": _captcha_answer(key),
                "csrfmiddlewaretoken": csrf,
            },
            headers={"Referer": self.host + "/matching/needs/new/"},
            name="need submit",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"need not saved: {response.status_code}")


class StaffUser(_LoggedIn):
    """Centre staff opening published needs: the matcher ranks patents for each."""

    weight = 2

    def on_start(self):
        self.login(f"load_staff_{next(_staff_ids) % 10}")

    @task(2)
    def search(self):
        if WORDS:
            self.client.get(f"/patents/search/?q={random.choice(WORDS)}", name="search")

    @task(1)
    def match_need(self):
        if NEEDS:
            self.client.get(f"/matching/staff/needs/{random.choice(NEEDS)}/", name="matching")


class FunderUser(_LoggedIn):
    """A funder reading the project and downloading the issued KPI report."""

    weight = 2

    def on_start(self):
        self.login(f"load_funder_{next(_funder_ids) % 10}")

    @task(1)
    def project(self):
        if REPORT:
            self.client.get(f"/reporting/projects/{REPORT[0]}/", name="report project")

    @task(2)
    def download(self):
        if REPORT:
            kind = random.choice(["pdf", "xlsx"])
            self.client.get(
                f"/reporting/reports/{REPORT[1]}/download/{kind}/", name=f"report {kind}"
            )
