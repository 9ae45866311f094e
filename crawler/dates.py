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


# -- publish dates from every source ------------------------------------------
# The order a page's publish date is trusted in: what a reader sees on the page
# first (the 目录 metadata's 发布日期, the 发布时间 line), then the PubDate meta
# tag, then the CMS URL, then the 成文日期 (written before publication).
SOURCE_ORDER = ("metadata:发布日期", "text", "meta:PubDate", "url", "metadata:成文日期")
# 成文日期 precedes publication by days or weeks on every real site: it is a
# fallback date, never compared for conflicts.
NOT_COMPARED = frozenset({"metadata:成文日期"})
SOURCE_LABELS = {"metadata:发布日期": "元数据发布日期", "text": "发布时间行", "meta:PubDate": "PubDate标签",
                 "url": "网址日期", "metadata:成文日期": "成文日期", "list": "列表日期"}
_TEXT_DATE_LABELS = ("发布时间", "发表时间")


def date_sources(meta_tags: dict, metadata: dict, text: str = "", url: str = "",
                 dateline_re=None) -> dict[str, str]:
    """Every publish date a page carries, keyed by source, as ISO strings.

    >>> date_sources({"PubDate": "2020-12-01 09:30"}, {"发布时间": "2020年12月01日"}, "",
    ...              "http://x/202011/t20201120_1.html")
    {'text': '2020-12-01', 'meta:PubDate': '2020-12-01', 'url': '2020-11-20'}
    """
    meta_tags = meta_tags or {}
    metadata = metadata or {}
    raw = {
        "metadata:发布日期": metadata.get("发布日期"),
        "text": next((metadata[k] for k in _TEXT_DATE_LABELS if metadata.get(k)), None),
        "meta:PubDate": meta_tags.get("PubDate") or meta_tags.get("pubdate") or meta_tags.get("pubDate"),
        "metadata:成文日期": metadata.get("成文日期"),
    }
    if not raw["text"] and text and dateline_re is not None:
        m = dateline_re.search(text)
        raw["text"] = m.group(1) if m else None
    out = {}
    for source in SOURCE_ORDER:
        if source == "url":
            d = date_from_url(url) if url else None
        else:
            d = find_date(raw.get(source) or "")
        if d:
            out[source] = d.isoformat()
    return out


def pick_date(sources: dict[str, str]) -> tuple[str | None, str | None]:
    """The trusted date among ``sources`` and its source name, by SOURCE_ORDER."""
    for source in SOURCE_ORDER:
        if sources.get(source):
            return sources[source], source
    return None, None


def record_date_sources(page: dict) -> dict[str, str]:
    """The date sources of a stored page record (meta tags, metadata, URL, and its recorded date)."""
    sources = date_sources(page.get("meta_tags") or {}, page.get("metadata") or {}, "",
                           page.get("final_url") or page.get("url") or "")
    if page.get("publish_date") and page.get("date_source") and page["date_source"] not in sources:
        sources[page["date_source"]] = page["publish_date"]
    return sources


def days_apart(a: str, b: str) -> int:
    return abs((date.fromisoformat(a) - date.fromisoformat(b)).days)


def date_conflicts(sources: dict[str, str], tolerance_days: int = 1) -> list[tuple[str, str, int]]:
    """Pairs of sources that disagree by more than ``tolerance_days``: (source, source, days).

    >>> date_conflicts({"text": "2020-12-01", "meta:PubDate": "2020-12-02", "url": "2020-11-20"})
    [('text', 'url', 11), ('meta:PubDate', 'url', 12)]
    """
    names = [s for s in SOURCE_ORDER + ("list",) if s in sources and s not in NOT_COMPARED]
    out = []
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            gap = days_apart(sources[a], sources[b])
            if gap > tolerance_days:
                out.append((a, b, gap))
    return out
