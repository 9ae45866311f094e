"""Freshness: the home page, stale and empty columns (栏目更新), column coverage and date conflicts.

Thresholds come from ``checks/data/rules.toml`` (国办秘函〔2019〕19号 and the
2015 普查评分表), overridable per site in the config's ``[rules]`` table and
per column with ``stale_days`` / ``warn_days_before`` in its ``[[columns]]``
entry. Every rule is measured on the run's as-of date; items dated after it
are not counted.

A column's items are what its list pages show. An item's date is its list
date, else its article's publish date (see ``crawler.dates.SOURCE_ORDER``),
else the date in its URL. An item with no date counts as not updated.

Findings: ``stale_home``, ``stale_column``, ``empty_column`` (veto or deduct,
and ``warn`` some days before each limit), ``unreachable_column`` (a
configured column the site does not serve) and ``date_conflict`` (warn: the
sources of one item's date disagree by more than a day).
"""
from __future__ import annotations

import re
from collections import Counter
from datetime import date
from functools import cache
from typing import Iterator
from urllib.parse import urlsplit

from crawler.dates import SOURCE_LABELS, date_conflicts, date_from_url, days_apart, record_date_sources
from portal_audit.records import finding

from .context import load_toml
from .rundata import RunData, default_rules

CHECK_NAMES = ("stale_home", "stale_column", "empty_column", "unreachable_column", "date_conflict")
CATEGORY_LABELS = {"news": "动态要闻类", "notice": "通知公告类", "policy": "政策文件类",
                   "personnel": "人事类", "plan": "规划计划类", "interaction": "互动交流类", "other": "其他"}
STATE_LABELS = {"ok": "正常", "warn": "预警", "stale": "未及时更新", "empty": "空白栏目",
                "unreachable": "无法访问", "unlisted": "未配置栏目"}
NEWS_NOTICE = ("news", "notice", "policy")
SOURCE_VETO = "国办秘函〔2019〕19号 检查指标 单项否决"


# ---------------------------------------------------------------- rules
def rule_table(rules: dict | None, name: str) -> dict:
    """One table of the rules, the national defaults under the site's overrides."""
    return {**default_rules().get(name, {}), **((rules or {}).get(name) or {})}


def column_limits(col: dict, rules: dict | None) -> tuple[int | None, int]:
    """(days without update before the column is stale, warn this many days before); per-column keys win."""
    category = col.get("category", "other")
    limit = col.get("stale_days", rule_table(rules, "column_stale_days").get(category))
    warn = col.get("warn_days_before", rule_table(rules, "column_warn_days_before").get(category, 0))
    return limit, int(warn or 0)


def state_for(reachable: bool, has_items: bool, since: int | None, limit: int | None, warn_before: int) -> str:
    """ok | warn | stale | empty | unreachable. No dated item at all counts as not updated."""
    if not reachable:
        return "unreachable"
    if not has_items:
        return "empty"
    if limit is None:
        return "ok"
    if since is None or since > limit:
        return "stale"
    if warn_before and since > limit - warn_before:
        return "warn"
    return "ok"


@cache
def category_rules() -> tuple[dict, ...]:
    """The name rules of ``checks/data/column_categories.toml``, in order (first match wins)."""
    return tuple(load_toml("column_categories.toml")["rules"])


def guess_category(name: str) -> dict:
    """A column's category from its name: {"category", "official_documents", "rule"}.

    >>> guess_category("工作动态")["category"], guess_category("规范性文件")["official_documents"]
    ('news', True)
    """
    for rule in category_rules():
        if re.search(rule["pattern"], name or ""):
            return {"category": rule["category"], "official_documents": bool(rule.get("official_documents", False)),
                    "rule": rule["pattern"]}
    return {"category": "other", "official_documents": False, "rule": None}


# ---------------------------------------------------------------- dates
def _days(as_of: date, d: str | None) -> int | None:
    return (as_of - date.fromisoformat(d)).days if d else None


def item_date_and_source(item: dict, pages: dict) -> tuple[str | None, str | None]:
    """An item's date and where it came from: "list", the article's own source, or "url"."""
    if item.get("list_date"):
        return item["list_date"], "list"
    page = pages.get(item["url"])
    if page and page.get("publish_date"):
        return page["publish_date"], page.get("date_source") or "page"
    d = date_from_url(item["url"])
    return (d.isoformat(), "url") if d else (None, None)


def item_date(item: dict, pages: dict) -> str | None:
    return item_date_and_source(item, pages)[0]


# ---------------------------------------------------------------- coverage
def _page_at(run: RunData, url: str) -> dict | None:
    page = run.pages.get(url)
    if page is None:
        status = run.link_statuses.get(url)
        if status and status.get("final_url"):
            page = run.pages.get(status["final_url"])
    return page


def listed_total(pager: dict | None, count: int, trs_per_page: int = 20) -> int:
    """Items a column lists by its pager's own count.

    Hanweb says it (``totalRecord``); a TRS ``createPageHTML(pages, …)`` bounds it
    to ((pages-1)·per_page, pages·per_page], so fewer items seen than the lower
    bound means list pages were not read; a plain list is counted.
    """
    pager = pager or {}
    if pager.get("total_items") is not None:
        return int(pager["total_items"])
    if pager.get("kind") == "trs" and pager.get("total_pages"):
        lower = (int(pager["total_pages"]) - 1) * trs_per_page + 1
        return max(count, lower) if pager["total_pages"] > 1 else count
    return count


def _dated_items(urls: dict[str, str | None], as_of: date) -> tuple[list[str], int, int]:
    """(sorted dates not after as_of, undated count, count dated after as_of)."""
    dates, undated, future = [], 0, 0
    for d in urls.values():
        if d is None:
            undated += 1
        elif d > as_of.isoformat():
            future += 1
        else:
            dates.append(d)
    return sorted(dates), undated, future


def _coverage_row(name, url, category, official, department, reachable, items, listed, crawled,
                  as_of, windows, limit, warn_before, state=None) -> dict:
    dates, undated, future = _dated_items(items, as_of)
    newest = dates[-1] if dates else None
    since = _days(as_of, newest)
    ages = [_days(as_of, d) for d in dates]
    w30, w90, w365 = (list(windows) + [30, 90, 365])[:3]
    if state is None:
        state = state_for(reachable, bool(items), since, limit, warn_before)
    return {
        "name": name, "url": url, "category": category, "official_documents": int(bool(official)),
        "department": department, "reachable": int(reachable),
        "items_listed": listed, "items_crawled": crawled,
        "newest_date": newest, "oldest_date": dates[0] if dates else None,
        "items_30d": sum(1 for a in ages if a <= w30),
        "items_90d": sum(1 for a in ages if a <= w90),
        "items_365d": sum(1 for a in ages if a <= w365),
        "rule_days": limit, "days_since_update": since,
        "days_to_limit": (limit - since) if (limit is not None and since is not None) else None,
        "state": state,
    }


def column_coverage(run: RunData, rules: dict) -> list[dict]:
    """One row per configured column (reachability, items listed and crawled, dates, rule, state),
    then one row per column found in the site's navigation that the config does not list (state "unlisted").

    The rows have exactly the store's ``columns`` table fields.
    """
    as_of = date.fromisoformat(run.as_of)
    cov = rule_table(rules, "coverage")
    windows = cov.get("recent_days", [30, 90, 365])
    items_by_column = _items_by_column(run)
    rows = []
    for col in run.columns:
        name, url = col["name"], col["url"]
        status = run.link_statuses.get(url)
        index_page = _page_at(run, url)
        reachable = bool(status and status["outcome"] == "ok") or index_page is not None
        items = items_by_column.get(name, {})
        limit, warn_before = column_limits(col, rules)
        listed = listed_total((index_page or {}).get("pager"), len(items), int(cov.get("trs_per_page", 20)))
        rows.append(_coverage_row(name, url, col.get("category", "other"), col.get("official_documents"),
                                  col.get("department"), reachable, items, listed,
                                  sum(1 for u in items if u in run.pages), as_of, windows, limit, warn_before))
    used = {r["name"] for r in rows}
    for found in unlisted_columns(run):
        name = found["name"] if found["name"] not in used else f"{found['name']}（{urlsplit(found['url']).path}）"
        used.add(name)
        guess = guess_category(found["name"])
        rows.append(_coverage_row(name, found["url"], guess["category"], guess["official_documents"], None, True,
                                  found["items"], len(found["items"]),
                                  sum(1 for u in found["items"] if u in run.pages), as_of, windows, None, 0,
                                  state="unlisted"))
    return rows


def _items_by_column(run: RunData) -> dict[str, dict[str, str | None]]:
    """column -> {item url: its date}; the first dated listing of an item wins."""
    out: dict[str, dict[str, str | None]] = {}
    for item in run.column_items:
        urls = out.setdefault(item["column"], {})
        if not urls.get(item["url"]):
            urls[item["url"]] = item_date(item, run.pages)
    return out


_GENERIC_ANCHORS = re.compile(r"^(更多|more|首页|返回|上一页|下一页|尾页|末页|[<>»«\s]*)[\s>»]*$", re.I)
_PAGED_URL = re.compile(r"_\d+\.\w+$")


def unlisted_columns(run: RunData) -> list[dict]:
    """List pages reached from the site's navigation that no configured column covers.

    A candidate is a crawled page that shows a list (items or a pager), is not
    an article, a configured column's list page, the home page, a later list
    page, or a navigation page linked from most of the site (a section), and
    whose items mostly belong to no configured column (an aggregation page's
    items do). It must be linked, with a short anchor text, from the home page,
    a section page or a configured column's list page.
    """
    crawled = {u: p for u, p in run.pages.items() if (p.get("status") or 200) == 200}
    if not crawled:
        return []
    configured = {c["url"] for c in run.columns}
    configured |= {run.link_statuses[u]["final_url"] for u in list(configured)
                   if u in run.link_statuses and run.link_statuses[u].get("final_url")}
    configured |= {u for u, p in crawled.items() if p.get("page_type") == "column"}
    listed = {i["url"] for i in run.column_items}
    home = _page_at(run, run.home_url)
    home_url = home["url"] if home else run.home_url
    inbound: dict[str, set] = {}
    anchors: dict[str, list] = {}
    for link in run.links:
        target = link["target_url"]
        if target in crawled and link["source_url"] != target:
            inbound.setdefault(target, set()).add(link["source_url"])
            anchors.setdefault(target, []).append((link["source_url"], (link.get("anchor_text") or "").strip()))
    sitewide = {u for u, srcs in inbound.items() if len(srcs) > 0.5 * len(crawled)}
    nav_sources = {home_url, run.home_url} | sitewide | configured
    out = []
    for url, page in crawled.items():
        if (url in configured or url in (home_url, run.home_url) or url in sitewide or url in listed
                or page.get("page_type") in ("article", "home") or page.get("publish_date")
                or _PAGED_URL.search(urlsplit(url).path)):
            continue
        items = [i["url"] for i in page.get("list_items") or []]
        if not items and not page.get("pager"):
            continue
        if items and sum(1 for u in items if u in listed) >= 0.5 * len(items):
            continue   # an aggregation of configured columns (a section page, a topic page)
        names = Counter(text for src, text in anchors.get(url, ())
                        if src in nav_sources and text and len(text) <= 20 and not _GENERIC_ANCHORS.match(text))
        if not names:
            continue
        item_dates = {i["url"]: item_date({"url": i["url"], "list_date": i.get("date")}, run.pages)
                      for i in page.get("list_items") or []}
        out.append({"name": names.most_common(1)[0][0], "url": url, "items": item_dates})
    out.sort(key=lambda c: c["url"])
    return out


def home_newest(run: RunData) -> str | None:
    """The newest item date the home page shows, not after the as-of date."""
    home = _page_at(run, run.home_url) or next((p for p in run.pages.values() if p.get("page_type") == "home"), None)
    if not home:
        return None
    dates = [item_date({"url": i["url"], "list_date": i.get("date")}, run.pages)
             for i in (home.get("list_items") or [])]
    dates = [d for d in dates if d and d <= run.as_of]
    return max(dates) if dates else None


# ---------------------------------------------------------------- checks
def check(page: dict, ctx) -> Iterator[dict]:
    """date_conflict within one page: 发布日期, 发布时间 line, PubDate tag and URL disagree."""
    if page.get("page_type") in ("home", "column"):
        return
    tolerance = int(rule_table(ctx.rules, "dates").get("conflict_days", 1))
    sources = record_date_sources(page)
    pairs = date_conflicts(sources, tolerance)
    if not pairs:
        return
    a, b, gap = max(pairs, key=lambda p: p[2])
    yield finding("date_conflict", "warn", page["url"], column=page.get("column"),
                  evidence=f"{SOURCE_LABELS.get(a, a)} {sources[a]} / {SOURCE_LABELS.get(b, b)} {sources[b]}",
                  suggestion="核对并统一发布日期", date_sources=sources, days_apart=gap, tolerance_days=tolerance,
                  used_date=page.get("publish_date"), used_source=page.get("date_source"))


def list_date_conflicts(run: RunData, tolerance: int) -> Iterator[dict]:
    """date_conflict between a list entry's date and its article's date (or its URL's, if not crawled)."""
    seen = set()
    for item in run.column_items:
        url, listed = item["url"], item.get("list_date")
        if not listed or url in seen:
            continue
        page = run.pages.get(url)
        other, source = (page.get("publish_date"), "page") if page and page.get("publish_date") else (None, None)
        if other is None:
            d = date_from_url(url)
            other, source = (d.isoformat(), "url") if d else (None, None)
        if other is None or days_apart(listed, other) <= tolerance:
            continue
        seen.add(url)
        label = "页面日期" if source == "page" else SOURCE_LABELS["url"]
        yield finding("date_conflict", "warn", url, column=item["column"],
                      evidence=f"{SOURCE_LABELS['list']} {listed} / {label} {other}",
                      suggestion="核对列表与正文的发布日期", date_sources={"list": listed, source: other},
                      list_url=item.get("list_url"), days_apart=days_apart(listed, other), tolerance_days=tolerance)


def check_run(run: RunData, ctx) -> Iterator[dict]:
    rules = ctx.rules
    as_of = date.fromisoformat(run.as_of)
    yield from _home(run, rules, as_of)
    rows = [r for r in column_coverage(run, rules) if r["state"] != "unlisted"]
    veto = rule_table(rules, "veto")
    stale = [r for r in rows if r["state"] == "stale"]
    empty = [r for r in rows if r["state"] == "empty"]
    stale_news_notice = [r for r in stale if r["category"] in NEWS_NOTICE]
    counts = {"stale_news_notice_columns": len(stale_news_notice), "long_unupdated_columns": len(stale),
              "empty_columns": len(empty)}
    veto_stale = (len(stale_news_notice) >= veto.get("stale_news_notice_columns", 5)
                  or len(stale) >= veto.get("long_unupdated_columns", 10))
    veto_empty = len(empty) >= veto.get("empty_columns", 5)
    undated = _undated_counts(run)
    for r in rows:
        common = dict(column_category=r["category"], category_label=CATEGORY_LABELS.get(r["category"]),
                      newest_date=r["newest_date"], days_since_update=r["days_since_update"],
                      limit_days=r["rule_days"], items_listed=r["items_listed"], items_undated=undated.get(r["name"], 0),
                      as_of=run.as_of, site_counts=counts, veto_thresholds=veto)
        if r["state"] == "stale":
            yield finding("stale_column", "veto" if veto_stale else "deduct", r["url"], column=r["name"],
                          evidence=r["newest_date"] or "无日期", suggestion="及时更新栏目内容",
                          source=SOURCE_VETO, **common)
        elif r["state"] == "warn":
            yield finding("stale_column", "warn", r["url"], column=r["name"], evidence=r["newest_date"],
                          suggestion=f"{r['days_to_limit']}天内更新栏目内容", days_to_limit=r["days_to_limit"], **common)
        elif r["state"] == "empty":
            yield finding("empty_column", "veto" if veto_empty else "deduct", r["url"], column=r["name"],
                          evidence="栏目无内容", suggestion="补充栏目内容或撤销栏目", source=SOURCE_VETO, **common)
        elif r["state"] == "unreachable":
            status = run.link_statuses.get(r["url"]) or {}
            yield finding("unreachable_column", "warn", r["url"], column=r["name"],
                          evidence=str(status.get("status_code") or status.get("reason") or "未抓取"),
                          suggestion="核对配置中的栏目地址, 或恢复该栏目", outcome=status.get("outcome"),
                          reason=status.get("reason"), as_of=run.as_of)
    tolerance = int(rule_table(rules, "dates").get("conflict_days", 1))
    yield from list_date_conflicts(run, tolerance)


def _undated_counts(run: RunData) -> dict[str, int]:
    out: Counter = Counter()
    for column, items in _items_by_column(run).items():
        out[column] = sum(1 for d in items.values() if d is None)
    return dict(out)


def _home(run: RunData, rules: dict, as_of: date) -> Iterator[dict]:
    home = rule_table(rules, "home")
    if _page_at(run, run.home_url) is None:
        return   # not fetched: the broken-link and availability checks speak for it
    newest = home_newest(run)
    since = _days(as_of, newest)
    limit, warn = int(home.get("stale_days", 14)), int(home.get("warn_days", 10))
    detail = dict(newest_date=newest, days_since_update=since, limit_days=limit, warn_days=warn, as_of=run.as_of)
    if since is None or since > limit:
        yield finding("stale_home", "veto", run.home_url, evidence=newest or "无日期",
                      suggestion="更新首页信息", source=SOURCE_VETO, **detail)
    elif since > warn:
        yield finding("stale_home", "warn", run.home_url, evidence=newest,
                      suggestion=f"{limit - since}天内更新首页信息", days_to_limit=limit - since, **detail)
