"""Freshness: the home page, stale columns and empty columns (栏目更新).

Thresholds come from ``checks/data/rules.toml`` (国办秘函〔2019〕19号 and the
2015 普查评分表), overridable per site. A column's items are what its list
pages show; an item's date is its list date, else its article's publish date,
else the date in its URL. An item with no date counts as not updated.
"""
from __future__ import annotations

from datetime import date
from typing import Iterator

from crawler.dates import date_from_url
from portal_audit.records import finding

from .rundata import RunData

CHECK_NAMES = ("stale_home", "stale_column", "empty_column")
CATEGORY_LABELS = {"news": "动态要闻类", "notice": "通知公告类", "policy": "政策文件类",
                   "personnel": "人事类", "plan": "规划计划类", "interaction": "互动交流类", "other": "其他"}
STATE_LABELS = {"ok": "正常", "warn": "预警", "stale": "未及时更新", "empty": "空白栏目",
                "unreachable": "无法访问"}


def _days(as_of: date, d: str | None) -> int | None:
    return (as_of - date.fromisoformat(d)).days if d else None


def item_date(item: dict, pages: dict) -> str | None:
    if item.get("list_date"):
        return item["list_date"]
    page = pages.get(item["url"])
    if page and page.get("publish_date"):
        return page["publish_date"]
    d = date_from_url(item["url"])
    return d.isoformat() if d else None


def column_coverage(run: RunData, rules: dict) -> list[dict]:
    """One row per configured column: reachability, items, dates, rule and state."""
    as_of = date.fromisoformat(run.as_of)
    by_column: dict[str, dict[str, str | None]] = {}
    for item in run.column_items:
        by_column.setdefault(item["column"], {})[item["url"]] = None
    for item in run.column_items:
        urls = by_column[item["column"]]
        urls[item["url"]] = urls[item["url"]] or item_date(item, run.pages)
    limits = rules.get("column_stale_days", {})
    warn_before = rules.get("column_warn_days_before", {})
    rows = []
    for col in run.columns:
        name, url, category = col["name"], col["url"], col.get("category", "other")
        status = run.link_statuses.get(url)
        index_page = run.pages.get(url) or (run.pages.get(status["final_url"]) if status else None)
        reachable = bool(status and status["outcome"] == "ok") or index_page is not None
        items = by_column.get(name, {})
        dates = sorted(d for d in items.values() if d)
        newest = dates[-1] if dates else None
        ages = [_days(as_of, d) for d in dates]
        pager = (index_page or {}).get("pager") or {}
        listed = pager.get("total_items")
        limit = limits.get(category)
        since = _days(as_of, newest)
        if not reachable:
            state = "unreachable"
        elif not items:
            state = "empty"
        elif limit is None:
            state = "ok"
        elif since is None or since > limit:
            state = "stale"
        elif since > limit - warn_before.get(category, 0):
            state = "warn"
        else:
            state = "ok"
        rows.append({
            "name": name, "url": url, "category": category,
            "official_documents": int(bool(col.get("official_documents"))),
            "department": col.get("department"), "reachable": int(reachable),
            "items_listed": listed if listed is not None else len(items),
            "items_crawled": sum(1 for u in items if u in run.pages),
            "newest_date": newest, "oldest_date": dates[0] if dates else None,
            "items_30d": sum(1 for a in ages if 0 <= a <= 30),
            "items_90d": sum(1 for a in ages if 0 <= a <= 90),
            "items_365d": sum(1 for a in ages if 0 <= a <= 365),
            "rule_days": limit, "days_since_update": since,
            "days_to_limit": (limit - since) if (limit is not None and since is not None) else None,
            "state": state,
        })
    return rows


def home_newest(run: RunData) -> str | None:
    home = run.pages.get(run.home_url) or next((p for p in run.pages.values() if p.get("page_type") == "home"), None)
    if not home:
        return None
    as_of = run.as_of
    dates = [i["date"] for i in (home.get("list_items") or []) if i.get("date") and i["date"] <= as_of]
    return max(dates) if dates else None


def check_run(run: RunData, ctx) -> Iterator[dict]:
    rules = ctx.rules
    as_of = date.fromisoformat(run.as_of)
    # the home page
    home_rule = rules.get("home", {})
    newest = home_newest(run)
    since = _days(as_of, newest)
    limit, warn = home_rule.get("stale_days", 14), home_rule.get("warn_days", 10)
    if run.home_url in run.pages:
        if since is None or since > limit:
            yield finding("stale_home", "veto", run.home_url, evidence=newest or "无日期",
                          suggestion="更新首页信息", newest_date=newest, days_since_update=since,
                          limit_days=limit, as_of=run.as_of, source="国办秘函〔2019〕19号 单项否决")
        elif since > warn:
            yield finding("stale_home", "warn", run.home_url, evidence=newest,
                          suggestion=f"{limit - since}天内更新首页信息", newest_date=newest,
                          days_since_update=since, limit_days=limit, warn_days=warn, as_of=run.as_of)

    rows = column_coverage(run, rules)
    veto = rules.get("veto", {})
    stale = [r for r in rows if r["state"] == "stale"]
    empty = [r for r in rows if r["state"] == "empty"]
    stale_news_notice = [r for r in stale if r["category"] in ("news", "notice", "policy")]
    veto_stale = (len(stale_news_notice) >= veto.get("stale_news_notice_columns", 5)
                  or len(stale) >= veto.get("long_unupdated_columns", 10))
    veto_empty = len(empty) >= veto.get("empty_columns", 5)
    for r in rows:
        common = dict(column_category=r["category"], category_label=CATEGORY_LABELS.get(r["category"]),
                      newest_date=r["newest_date"], days_since_update=r["days_since_update"],
                      limit_days=r["rule_days"], as_of=run.as_of)
        if r["state"] == "stale":
            yield finding("stale_column", "veto" if veto_stale else "deduct", r["url"], column=r["name"],
                          evidence=r["newest_date"] or "无日期", suggestion="及时更新栏目内容", **common)
        elif r["state"] == "warn":
            yield finding("stale_column", "warn", r["url"], column=r["name"], evidence=r["newest_date"],
                          suggestion=f"{r['days_to_limit']}天内更新栏目内容", **common)
        elif r["state"] == "empty":
            yield finding("empty_column", "veto" if veto_empty else "deduct", r["url"], column=r["name"],
                          evidence="栏目无内容", suggestion="补充栏目内容或撤销栏目", **common)
