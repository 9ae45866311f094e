"""Interaction (互动交流): letters left unanswered, and how fast letters are answered.

A letter is a page of an ``interaction`` column (区长信箱, 留言板 …) whose
extracted metadata carries its date (来信日期, 留言时间 …), its status
(状态 / 办理状态: 已回复, 办理中 …) and, once answered, its reply
(回复单位, 回复日期). Thresholds: ``[interaction]`` in ``checks/data/rules.toml``
(国办秘函〔2019〕19号: 互动回应差, a letter unanswered for more than 3 months
within one year, is a veto item).

On the as-of date a letter counts as unanswered when its status says so, or
when its reply is dated after the as-of date (the audit is reproduced on an
earlier day).
"""
from __future__ import annotations

from datetime import date
from statistics import mean, median
from typing import Iterable, Iterator

from crawler.dates import find_date
from portal_audit.records import finding

from .freshness import rule_table

CHECK_NAMES = ("unanswered_message",)
LETTER_DATE_LABELS = ("来信日期", "来信时间", "留言时间", "留言日期", "提问时间")
STATUS_LABELS = ("办理状态", "处理状态", "回复状态", "状态")
REPLY_DATE_LABELS = ("回复日期", "回复时间", "答复日期", "答复时间", "办结日期", "办结时间")
REPLY_BY_LABELS = ("回复单位", "答复单位")
SOURCE = "国办秘函〔2019〕19号 检查指标 单项否决: 互动回应差"


def _first(metadata: dict, labels) -> str | None:
    return next((metadata[k].strip() for k in labels if (metadata.get(k) or "").strip()), None)


def read_letter(page: dict) -> dict | None:
    """The letter a page holds, or None: {url, column, letter_date, status, reply_date, reply_by}."""
    md = page.get("metadata") or {}
    d = find_date(_first(md, LETTER_DATE_LABELS) or "")
    if d is None:
        return None
    reply = find_date(_first(md, REPLY_DATE_LABELS) or "")
    return {"url": page["url"], "column": page.get("column"), "letter_date": d.isoformat(),
            "status": _first(md, STATUS_LABELS), "reply_date": reply.isoformat() if reply else None,
            "reply_by": _first(md, REPLY_BY_LABELS)}


def answered_on(letter: dict, as_of: str, rules: dict | None = None) -> bool:
    """Was the letter answered by the as-of date?"""
    cfg = rule_table(rules, "interaction")
    status = (letter.get("status") or "").replace(" ", "")
    if any(s in status for s in cfg.get("reply_statuses_pending", ())):
        return False
    said_done = any(s in status for s in cfg.get("reply_statuses_done", ()))
    if letter.get("reply_date"):
        return letter["reply_date"] <= as_of
    return said_done


def is_interaction_page(page: dict, ctx) -> bool:
    return (page.get("page_type") not in ("home", "column")
            and ctx.column_config(page.get("column")).get("category") == "interaction")


def check(page: dict, ctx) -> Iterator[dict]:
    """unanswered_message: a letter of the past year left unanswered longer than the limit."""
    if not is_interaction_page(page, ctx):
        return
    letter = read_letter(page)
    if letter is None:
        return
    as_of = ctx.as_of or date.today().isoformat()
    cfg = rule_table(ctx.rules, "interaction")
    limit, window = int(cfg.get("unanswered_days", 91)), int(cfg.get("window_days", 365))
    waited = (date.fromisoformat(as_of) - date.fromisoformat(letter["letter_date"])).days
    if waited < 0 or waited > window or waited <= limit or answered_on(letter, as_of, ctx.rules):
        return
    yield finding("unanswered_message", "veto", page["url"], column=page.get("column"),
                  evidence=f"来信日期 {letter['letter_date']}，{letter['status'] or '未回复'}",
                  suggestion="尽快办理并公开答复", letter_date=letter["letter_date"], status=letter["status"],
                  days_unanswered=waited, limit_days=limit, window_days=window, as_of=as_of, source=SOURCE)


def reply_stats(letters: Iterable[dict], as_of: str, rules: dict | None = None) -> dict:
    """Letters of the past year: how many, answered, pending, overdue, and reply times in days.

    >>> reply_stats([{"letter_date": "2020-12-01", "status": "已回复", "reply_date": "2020-12-05"},
    ...              {"letter_date": "2020-03-01", "status": "办理中", "reply_date": None}],
    ...             "2020-12-31")["avg_reply_days"]
    4.0
    """
    cfg = rule_table(rules, "interaction")
    limit, window = int(cfg.get("unanswered_days", 91)), int(cfg.get("window_days", 365))
    day = date.fromisoformat(as_of)
    in_window, reply_days, pending, overdue = 0, [], 0, 0
    for letter in letters:
        waited = (day - date.fromisoformat(letter["letter_date"])).days
        if waited < 0 or waited > window:
            continue
        in_window += 1
        if answered_on(letter, as_of, rules):
            if letter.get("reply_date"):
                reply_days.append((date.fromisoformat(letter["reply_date"])
                                   - date.fromisoformat(letter["letter_date"])).days)
        else:
            pending += 1
            overdue += waited > limit
    return {"as_of": as_of, "window_days": window, "limit_days": limit, "letters": in_window,
            "answered": in_window - pending, "pending": pending, "overdue": overdue,
            "avg_reply_days": round(float(mean(reply_days)), 1) if reply_days else None,
            "median_reply_days": median(reply_days) if reply_days else None,
            "max_reply_days": max(reply_days) if reply_days else None,
            "replied_late": sum(1 for d in reply_days if d > limit)}
