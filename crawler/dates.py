"""Publish dates as Chinese government CMSs write them.

Handles ``2020-12-01``, ``[2020-12-01]``, ``2020/12/01``, ``2020.12.01``,
``2020年12月01日`` (also ``2020年12月1日``), and dates carried only in the URL:
TRS ``t20201201_123.html`` and Hanweb ``/art/2020/12/1/art_..``.
"""
from __future__ import annotations

import re
from datetime import date

_DATE_RE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*(?:(?P<sep>[-/.])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*(?P<d>\d{1,2})(?!\d)"
    r"|年\s*(?P<m2>\d{1,2})\s*月\s*(?P<d2>\d{1,2})\s*日)")
_URL_TRS_RE = re.compile(r"/t((?:19|20)\d{2})(\d{2})(\d{2})_\d+")
_URL_ART_RE = re.compile(r"/art/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})/")
_URL_DIR_RE = re.compile(r"/((?:19|20)\d{2})(\d{2})/t")


def _make(y, m, d) -> date | None:
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        return None


def find_dates(text: str) -> list[date]:
    """All valid dates written in ``text``, in order.

    >>> find_dates("[2020-12-01] 通知 2020年3月5日")
    [datetime.date(2020, 12, 1), datetime.date(2020, 3, 5)]
    """
    out = []
    for m in _DATE_RE.finditer(text):
        d = _make(m["y"], m["m"] or m["m2"], m["d"] or m["d2"])
        if d:
            out.append(d)
    return out


def find_date(text: str) -> date | None:
    """The first valid date in ``text``, or None."""
    for m in _DATE_RE.finditer(text):
        d = _make(m["y"], m["m"] or m["m2"], m["d"] or m["d2"])
        if d:
            return d
    return None


def date_from_url(url: str) -> date | None:
    """A date carried by a CMS URL pattern, or None.

    >>> date_from_url("http://x/zwgk/gzdt/202012/t20201201_123.html")
    datetime.date(2020, 12, 1)
    >>> date_from_url("http://x/art/2020/12/1/art_1234_5.html")
    datetime.date(2020, 12, 1)
    """
    for rx in (_URL_TRS_RE, _URL_ART_RE):
        m = rx.search(url)
        if m:
            return _make(*m.groups())
    return None
