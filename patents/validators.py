"""Validators for Chinese identifiers the portal relies on.

Written here rather than taken from python-stdnum because stdnum's USCC check
rejects registration authorities N, Y and A (and others added to GB 32100
after its tables were written), and it has no CNIPA application number type.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# GB 32100-2015: 18 characters from this 31-character alphabet (no I, O, S, V, Z).
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {ch: i for i, ch in enumerate(USCC_ALPHABET)}
# Weight of position i is 3**i mod 31.
_USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]
# First character: registration management authority. 1–9 and A–G, N, Y are
# assigned (A: central military commission, N: agriculture, Y: other).
_USCC_AUTHORITIES = set("123456789ABCDEFGNY")
_USCC_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{18}$")

# GB 11714 organization code (characters 9–17 of the USCC): 8 characters and a check.
_ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def _org_code_value(ch: str) -> int:
    return int(ch) if ch.isdigit() else ord(ch) - ord("A") + 10


def org_code_check_char(body: str) -> str:
    """GB 11714 check character for the 8-character organization code ``body``."""
    total = sum(_org_code_value(c) * w for c, w in zip(body, _ORG_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def uscc_check_char(body: str) -> str:
    """GB 32100 check character for the first 17 characters ``body``."""
    total = sum(_USCC_VALUE[c] * w for c, w in zip(body, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def uscc_problem(value: str) -> str | None:
    """Why ``value`` is not a valid unified social credit code, or None if it is."""
    code = value.strip().upper()
    if not _USCC_RE.match(code):
        return _(
            "A unified social credit code has 18 digits or capital letters (no I, O, S, V, Z)."
        )
    if code[0] not in _USCC_AUTHORITIES:
        return _("The first character (registration authority) is not an assigned code.")
    if not code[2:8].isdigit():
        return _("Characters 3 to 8 must be the six-digit administrative division code.")
    if org_code_check_char(code[8:16]) != code[16]:
        return _("The organization code check character (17th) does not match.")
    if uscc_check_char(code[:17]) != code[17]:
        return _("The final check character (18th) does not match.")
    return None


def validate_uscc(value: str) -> None:
    problem = uscc_problem(value)
    if problem:
        raise ValidationError(problem, code="invalid_uscc")


# CNIPA application numbers: since 2003 "YYYYT NNNNNNN.C" (12 digits + check),
# before that 8 digits + check. T is the type (1 invention, 2 utility model,
# 3 design, 8/9 PCT national phase).
_CN_APPLICATION_RE = re.compile(r"^(?:CN)?(\d{8}|\d{12})\.?([0-9X])$")
_CN_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)


def cn_application_check_digit(digits: str) -> str:
    total = sum(int(d) * w for d, w in zip(digits, _CN_WEIGHTS, strict=False))
    check = total % 11
    return "X" if check == 10 else str(check)


def normalize_cn_application_number(value: str) -> str:
    """``CN202110123456.7`` style, or the input stripped if it is not CN-shaped."""
    compact = re.sub(r"[\s]", "", value).upper()
    match = _CN_APPLICATION_RE.match(compact)
    if not match:
        return compact
    return f"CN{match.group(1)}.{match.group(2)}"


def cn_application_problem(value: str) -> str | None:
    compact = re.sub(r"\s", "", value).upper()
    match = _CN_APPLICATION_RE.match(compact)
    if not match:
        return _(
            "A CN application number has 8 or 12 digits and a check digit, e.g. CN202110123456.7."
        )
    digits, check = match.groups()
    if cn_application_check_digit(digits) != check:
        return _("The check digit of the CN application number does not match.")
    return None


def validate_cn_application_number(value: str) -> None:
    """Validates CN numbers only; other offices' formats are accepted as recorded."""
    if not value or not value.upper().startswith("CN"):
        return
    problem = cn_application_problem(value)
    if problem:
        raise ValidationError(problem, code="invalid_cn_application_number")
