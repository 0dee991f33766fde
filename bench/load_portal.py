"""Load test of the portal on loopback (locust): N logged-in users for T minutes.

Users browse the home page, open real patent pages, page through and open
patents in the API with their token, read the privacy notice and their
requests. Patent numbers come from the real CN dataset the portal imported
(data/cn_patents_zh), not invented ones. Search, need submission, matching
and report downloads belong to apps on other branches; add their URLs to
``PortalUser`` once merged.

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
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from rest_framework.authtoken.models import Token

    from patents.models import Patent

    User = get_user_model()
    group = Group.objects.get(name="enterprise")
    tokens = []
    for n in range(users):
        user, _ = User.objects.get_or_create(username=f"load_user_{n}")
        user.set_password(LOAD_PASSWORD)
        user.save()
        user.groups.add(group)
        tokens.append(Token.objects.get_or_create(user=user)[0].key)
    numbers = list(Patent.objects.order_by("?").values_list("publication_number", flat=True)[:2000])
    NUMBERS_FILE.parent.mkdir(exist_ok=True)
    NUMBERS_FILE.write_text("\n".join(numbers))
    (NUMBERS_FILE.parent / "load_tokens.txt").write_text("\n".join(tokens))
    print(f"{users} load users, {len(numbers)} real patent numbers")


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

from locust import HttpUser, between, task  # noqa: E402

NUMBERS = NUMBERS_FILE.read_text().split() if NUMBERS_FILE.exists() else []
_TOKENS = NUMBERS_FILE.parent / "load_tokens.txt"
TOKENS = _TOKENS.read_text().split() if _TOKENS.exists() else []
_user_ids = itertools.count()


class PortalUser(HttpUser):
    wait_time = between(1, 3)

    def on_start(self):
        self.n = next(_user_ids) % max(len(TOKENS), 1)
        self.token = TOKENS[self.n] if TOKENS else ""
        page = self.client.get("/accounts/login/", name="login form")
        csrf = page.cookies.get("csrftoken") or self.client.cookies.get("csrftoken", "")
        self.client.post(
            "/accounts/login/",
            {
                "username": f"load_user_{self.n}",
                "password": LOAD_PASSWORD,
                "csrfmiddlewaretoken": csrf,
            },
            headers={"Referer": self.host + "/accounts/login/"},
            name="login",
        )

    @task(4)
    def home(self):
        self.client.get("/", name="home")

    @task(6)
    def patent_page(self):
        if NUMBERS:
            self.client.get(f"/patents/{random.choice(NUMBERS)}/", name="patent page")

    @task(3)
    def api_list(self):
        page = random.randint(1, 20)
        self.client.get(
            f"/api/v1/patents/?page={page}",
            name="api patents list",
            headers={"Authorization": f"Token {self.token}"},
        )

    @task(3)
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
