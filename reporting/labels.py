"""Programme line names as reports print them.

The same source strings as ``portal.programme.ProgrammeLine``; repeated here so
reporting's own catalogue translates them and a report never depends on another
app's catalogue being present.
"""

from django.utils.translation import gettext_lazy as _

from portal.programme import ProgrammeLine

LINE_LABELS = {
    ProgrammeLine.INDUSTRY_OPERATIONS.value: _("Industry IP operations"),
    ProgrammeLine.TRADING_HUB.value: _("Yellow River regional trading hub"),
    ProgrammeLine.TALENT.value: _("Talent + patents"),
}


def line_label(line: str) -> str:
    return str(LINE_LABELS.get(line, line))
