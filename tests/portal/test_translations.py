"""The zh-Hans catalogues of the apps act as one: Django merges them, and for a
message two apps both translate, the app listed first in INSTALLED_APPS wins
everywhere. So a message must mean one thing (one translation) across the apps,
and a word that means different things in different places ("Register" an
account vs register for an event) carries a pgettext context."""

from __future__ import annotations

import gettext
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.utils import translation

ROOT = Path(settings.BASE_DIR)
# The project's own apps that ship a zh-Hans catalogue, in INSTALLED_APPS order.
APPS = [
    config.name
    for config in django_apps.get_app_configs()
    if Path(config.path).is_relative_to(ROOT)
    and "site-packages" not in Path(config.path).parts
    and (Path(config.path) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po").exists()
]
CONTEXT_SEPARATOR = "\x04"


def _catalogue(mo: Path) -> dict:
    with mo.open("rb") as handle:
        catalogue = dict(gettext.GNUTranslations(handle)._catalog)
    catalogue.pop("", None)  # the header
    return catalogue


def _po(app: str) -> Path:
    return (
        Path(django_apps.get_app_config(app.rsplit(".", 1)[-1]).path)
        / "locale/zh_Hans/LC_MESSAGES/django.po"
    )


@pytest.mark.parametrize("app", APPS)
def test_catalogue_compiles_and_the_committed_mo_is_current(app, tmp_path):
    if shutil.which("msgfmt") is None:
        pytest.skip("msgfmt (gettext) is not installed; .ci/run installs it")
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(compiled), str(_po(app))], check=True)
    assert _catalogue(compiled) == _catalogue(_po(app).with_suffix(".mo"))


def test_every_message_has_one_translation_across_the_apps():
    translations: dict[str, dict[str, str]] = defaultdict(dict)
    for app in APPS:
        for message, text in _catalogue(_po(app).with_suffix(".mo")).items():
            translations[message if isinstance(message, str) else message[0]][app] = str(text)
    differing = {
        message.replace(CONTEXT_SEPARATOR, " | "): by_app
        for message, by_app in translations.items()
        if len(set(by_app.values())) > 1
    }
    assert differing == {}


@pytest.mark.parametrize(
    ("context", "message", "expected"),
    [
        (None, "Register", "注册"),
        ("event", "Register", "报名"),
        (None, "Closed", "已关闭"),
        ("push funnel stage", "Deal", "成交"),
        (None, "Deal", "交易"),
        ("unit", "patents", "件"),
        ("count", "patents", "件专利"),
        ("person", "name", "姓名"),
        (None, "name", "名称"),
    ],
)
def test_merged_catalogue_resolves_each_meaning(context, message, expected):
    with translation.override("zh-hans"):
        got = (
            translation.gettext(message)
            if context is None
            else translation.pgettext(context, message)
        )
    assert got == expected
