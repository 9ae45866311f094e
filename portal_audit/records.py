"""The plain records that flow between crawler, store, checks and reports.

Everything here is a JSON-serialisable dict, so the same record can be
produced by the crawler, stored in SQLite, read back and re-checked with
``portal-audit check`` without crawling again.

PageRecord (one per fetched HTML page of an allowed host)::

    {
      "url": str,              # the URL requested (normalised, absolute)
      "final_url": str,        # after redirects
      "status": int,
      "encoding": str,         # e.g. "utf-8", "gbk"
      "page_type": "home" | "column" | "article" | "other",
      "column": str | None,    # the configured column's name, when known
      "list_page_no": int | None,  # 1 for a column's index page, 2.. for its later list pages
      "title": str,
      "publish_date": "YYYY-MM-DD" | None,
      "date_source": str | None,   # "meta:PubDate", "metadata:发布日期", "text", "url", "list"
      "body_text": str,        # the main content only (no nav, header, footer)
      "metadata": {label: value},  # 信息公开目录 fields: 索引号, 发布机构, 成文日期, 文号, 主题分类, 发布日期 ...
      "meta_tags": {name: content},  # <meta name=... content=...>
      "footer_text": str,
      "links": [LinkRef, ...],
      "list_items": [{"url": str, "title": str, "date": "YYYY-MM-DD" | None, "date_raw": str}],
      "pager": {"total_pages": int, "current": int, "kind": "trs" | "hanweb" | "plain"} | None,
    }

LinkRef (one per link on a page)::

    {"url": str (absolute) , "tag": "a" | "img" | ..., "text": str (anchor text or alt),
     "kind": "page" | "resource" | "attachment" | "unsupported"}

Finding (what a check yields; the store adds fingerprint, run and dates)::

    {"check": str, "severity": "veto" | "deduct" | "warn", "url": str,
     "column": str | None, "target": str | None, "evidence": str | None,
     "suggestion": str | None, "detail": dict}
"""
from __future__ import annotations

SEVERITIES = ("veto", "deduct", "warn")


def finding(check: str, severity: str, url: str, *, column: str | None = None,
            target: str | None = None, evidence: str | None = None,
            suggestion: str | None = None, **detail) -> dict:
    """Build one finding dict in the contract's shape.

    >>> finding("typo", "deduct", "http://x/a.html", evidence="布署", suggestion="部署", context="…布署…")["detail"]
    {'context': '…布署…'}
    """
    if severity not in SEVERITIES:
        raise ValueError(f"unknown severity {severity!r}")
    return {"check": check, "severity": severity, "url": url, "column": column,
            "target": target, "evidence": evidence, "suggestion": suggestion,
            "detail": detail}
