"""The provincial programme's three lines of work.

Every record that a KPI counts (a push, an event, a deal, a trainee) says which
line it serves; the reporting app groups by it. It lives in ``portal`` so every
app can name a line without importing another app.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgrammeLine(models.TextChoices):
    INDUSTRY_OPERATIONS = "industry_operations", _("Industry IP operations")
    TRADING_HUB = "trading_hub", _("Yellow River regional trading hub")
    TALENT = "talent", _("Talent + patents")
