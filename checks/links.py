"""Broken links (错链接): one finding per (source page, broken target).

Reads the outcome decided by ``crawler.linkstatus``; never re-derives it from
status codes. Blocked and rate-limited targets are not findings: reports list
them for review.
"""
from __future__ import annotations

from typing import Iterator

from crawler.linkstatus import REASON_LABELS
from portal_audit.records import finding

from .rundata import RunData

CHECK_NAMES = ("broken_link",)


def check_run(run: RunData, ctx=None) -> Iterator[dict]:
    for link in run.links:
        status = run.link_statuses.get(link["target_url"])
        if not status or status["outcome"] != "broken":
            continue
        source = run.pages.get(link["source_url"], {})
        on_home = link["source_url"] == run.home_url or source.get("page_type") == "home"
        reason = status["reason"]
        yield finding(
            "broken_link", "deduct", link["source_url"], column=source.get("column"),
            target=link["target_url"], evidence=link["anchor_text"] or None,
            suggestion="修改或删除该链接",
            reason=reason, reason_label=REASON_LABELS.get(reason, reason),
            status_code=status["status_code"], redirect_chain=status["redirect_chain"],
            error=status["error"], anchor_text=link["anchor_text"], tag=link["tag"],
            on_home=on_home, page_title=source.get("title"))
