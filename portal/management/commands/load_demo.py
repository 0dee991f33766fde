"""python manage.py load_demo

Loads everything a demo needs into an already migrated database (it migrates
nothing itself): the reference tables, the real demo patents shipped in data/,
a demo staff account whose new random password it prints, then each app's
optional ``<app>.demo.load_demo(stdout=...)`` in dependency order.

Idempotent: patents are upserted by publication number, reference rows by
code, and re-running resets and prints the demo password.

``--apps-in-background`` (what ``make demo`` uses): the app demos (chains
tagged, needs matched, listings, talents…) run in a detached
``load_demo --apps-only`` process logging to ``var/log/demo-apps.log``, so the
server starts as soon as the patents are searchable; the demo pages fill in over
the next minutes. They are the slow part: chain tagging may first build the IPC
model (when no trained model is in ``var/models``) and the talent demo
disambiguates ~48,000 inventor mentions.
"""

from __future__ import annotations

import importlib
import importlib.util
import secrets
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand
from django.db import transaction

from patents.services import patent_import_file, reference_data_load
from portal.roles import Role

DATA_DIR = Path(settings.BASE_DIR) / "data"

# (path under data/, format): a few thousand real CN and US records per format,
# Shandong's own records first (Tai'an's applications, then Chinese exports).
DEMO_IMPORTS = (
    ("cn_patents_shandong_taian/taian_patents.csv.gz", "table"),
    ("cn_patents_patsnap_aviation/patsnap_export_CN_only.csv.gz", "patsnap"),
    ("cn_patents_zh/cn_patent_titles_ipc_subclasses.csv", "cn-title-ipc"),
    ("cn_patents_zh/cn_g06f_patents_chinese_headers.xlsx", "table"),
    ("multi_jurisdiction_lens_covid/lens_covid_patents.csv.gz", "lens"),
    ("us_patents_patentsview_nvidia", "patentsview"),
    (
        "us_patents_koehrsen_abstracts/google_patents_search_results_with_abstracts.csv.gz",
        "google-patents",
    ),
)
# Lowest first, as in AGENTS.md: each app's demo may use the ones before it.
DEMO_APPS = (
    "patents",
    "operations_center",
    "matching",
    "trading",
    "openlicense",
    "alliances",
    "talent",
    "reporting",
)
DEMO_USERNAME = "demo"
# What the demo staff account may do in the admin: everything on patent data.
STAFF_PERMISSION_APPS = ("patents",)


class Command(BaseCommand):
    help = "Load reference data, the real demo patents and a demo staff account (idempotent)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--skip-patents", action="store_true", help="load reference data and accounts only"
        )
        parser.add_argument(
            "--apps-in-background",
            action="store_true",
            help="run the app demos in a detached process (log: var/log/demo-apps.log)",
        )
        parser.add_argument(
            "--apps-only", action="store_true", help="run only the app demos (chains, needs…)"
        )
        parser.add_argument("--url", default="", help="the address to print for the demo")

    def handle(self, *args, **opts) -> None:
        started = time.monotonic()
        if opts["apps_only"]:
            self._app_demos()
            self.stdout.write(f"app demos loaded in {time.monotonic() - started:.0f}s")
            return
        loaded = [f"{count:,} {table}" for table, count in reference_data_load().items()]
        self.stdout.write(f"reference data: {', '.join(loaded)}")
        if not opts["skip_patents"]:
            self._import_patents()
        password = self._demo_account()
        if opts["apps_in_background"]:
            log = self._app_demos_in_background()
            self.stdout.write(
                "chains, needs, listings, licences, alliances, talents, reports: loading in "
                f"the background (a few minutes), progress in {log}"
            )
        else:
            self._app_demos()
        self.stdout.write(f"demo data loaded in {time.monotonic() - started:.0f}s")
        if opts["url"]:
            self.stdout.write(self.style.SUCCESS(f"Open {opts['url']}"))
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo staff account: username {DEMO_USERNAME!r}, password {password!r}"
            )
        )

    def _app_demos_in_background(self) -> Path:
        log_path = Path(settings.VAR_DIR) / "log" / "demo-apps.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        with log_path.open("w") as log:
            subprocess.Popen(
                [sys.executable, "manage.py", "load_demo", "--apps-only"],
                cwd=settings.BASE_DIR,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        return log_path

    def _import_patents(self) -> None:
        report_dir = Path(settings.MEDIA_ROOT) / "import-reports"
        for relative, fmt in DEMO_IMPORTS:
            path = DATA_DIR / relative
            outcome = patent_import_file(
                path=path,
                format=fmt,
                error_report_path=report_dir / f"demo-{path.name}.errors.csv",
            )
            line = (
                f"patents from {relative}: read {outcome.read}, created {outcome.created}, "
                f"updated {outcome.updated}, rejected {outcome.rejected}"
            )
            if outcome.error_report:
                line += f" — rejected rows listed in {outcome.error_report}"
            self.stdout.write(line)

    @transaction.atomic
    def _demo_account(self) -> str:
        user, _created = get_user_model().objects.get_or_create(
            username=DEMO_USERNAME, defaults={"email": "demo@localhost"}
        )
        password = secrets.token_urlsafe(12)
        user.set_password(password)
        user.is_staff = True
        user.is_active = True
        user.save()
        group, _created = Group.objects.get_or_create(name=Role.STAFF.value)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label__in=STAFF_PERMISSION_APPS)
        )
        user.groups.add(group)
        return password

    def _app_demos(self) -> None:
        for app in DEMO_APPS:
            module_name = f"{app}.demo"
            if importlib.util.find_spec(module_name) is None:
                continue
            self.stdout.write(f"{app}: loading demo records")
            importlib.import_module(module_name).load_demo(stdout=self.stdout)
