"""Approximate grant year of a US patent from its number (when a row carries no date).

USPTO numbers utility patents in one increasing series; the table below is the first
utility number granted each year (USPTO, "Issue Years and Patent Numbers"), checked
against the dates of the PatentsView NVIDIA extract (every patent there falls in the
year the table gives). Design patents (``D``) have their own series, listed more coarsely.
Used only as time evidence: a year off by one changes no decision.
"""

from __future__ import annotations

import bisect
import re

_UTILITY = (
    (1971, 3552787), (1972, 3633214), (1973, 3707729), (1974, 3781914), (1975, 3858241),
    (1976, 3930271), (1977, 4000000), (1978, 4065812), (1979, 4131952), (1980, 4180867),
    (1981, 4242757), (1982, 4308622), (1983, 4366579), (1984, 4423523), (1985, 4490885),
    (1986, 4562596), (1987, 4633822), (1988, 4716594), (1989, 4794652), (1990, 4890000),
    (1991, 4980927), (1992, 5077843), (1993, 5175889), (1994, 5274846), (1995, 5377359),
    (1996, 5479658), (1997, 5590420), (1998, 5704971), (1999, 5855021), (2000, 6009554),
    (2001, 6167569), (2002, 6334220), (2003, 6502244), (2004, 6671841), (2005, 6836162),
    (2006, 6981484), (2007, 7155906), (2008, 7313829), (2009, 7472428), (2010, 7640515),
    (2011, 7861317), (2012, 8087269), (2013, 8341762), (2014, 8621662), (2015, 8925513),
    (2016, 9226766), (2017, 9532121), (2018, 9854917), (2019, 10165721), (2020, 10524265),
    (2021, 10881184), (2022, 11214000), (2023, 11540437), (2024, 11857000), (2025, 12186000),
)  # fmt: skip
_DESIGN = (
    (1977, 242881), (1980, 253796), (1985, 276000), (1990, 307201), (1995, 354000),
    (2000, 418000), (2005, 500000), (2010, 606000), (2015, 720000), (2020, 873000),
    (2025, 1055000),
)  # fmt: skip
_U_NUMS = [n for _y, n in _UTILITY]
_D_NUMS = [n for _y, n in _DESIGN]
_NUMBER_RE = re.compile(r"^(?:US)?(D)?0*(\d{6,8})(?:[A-Z]\d?)?$")


def year_from_us_number(number: str) -> int | None:
    """``"US6024576"`` → 2000, ``"D645602"`` → about 2011; None when not a US number."""
    match = _NUMBER_RE.match((number or "").strip().upper().replace(",", ""))
    if not match:
        return None
    design, value = bool(match.group(1)), int(match.group(2))
    table, nums = (_DESIGN, _D_NUMS) if design else (_UTILITY, _U_NUMS)
    i = bisect.bisect_right(nums, value) - 1
    if i < 0:
        return None
    if design and i + 1 < len(table):
        # Coarse table: interpolate between its five-year marks.
        (y0, n0), (y1, n1) = table[i], table[i + 1]
        return y0 + int((value - n0) * (y1 - y0) / (n1 - n0))
    return table[i][0]
