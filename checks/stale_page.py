"""Page-level staleness (stale_page).

- A document whose metadata says it is valid (有效性：有效) while its
  有效期至 / 失效日期 / 废止日期 has passed on the as-of date (page check).
- Pages that promise a yearly update (政府信息公开指南, 政府信息公开工作年度报告 …)
  whose newest version is older than the limit (run check). Versions of one
  page are grouped by title with the year and 修订/版 words taken out, so a
  superseded 2018 guide is not reported when the 2020 one is there.

Labels, values and limits: ``[stale_page]`` in ``checks/data/rules.toml``, with sources.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Iterator

from crawler.dates import find_date
from portal_audit.records import finding

from .freshness import rule_table
from .rundata import RunData

CHECK_NAMES = ("stale_page",)
VALIDITY_LABELS = ("有效性", "效力状态", "时效性")
_YEAR_WORDS = re.compile(r"[（(\[【]?\s*(?:19|20)\d{2}\s*年?度?\s*(?:修订版|修订|修正|版|本)?\s*[)）\]】]?")


def series_key(title: str) -> str:
    """A page's title without its year and edition words.

    >>> series_key("开福区政府信息公开指南（2020年修订）") == series_key("开福区政府信息公开指南")
    True
    """
    return re.sub(r"\s+", "", _YEAR_WORDS.sub("", title or ""))


def marked_valid(value: str | None, cfg: dict) -> bool:
    value = (value or "").replace(" ", "")
    if not value or any(v in value for v in cfg.get("invalid_values", ())):
        return False
    return any(v in value for v in cfg.get("valid_values", ("有效",)))


def check(page: dict, ctx) -> Iterator[dict]:
    """A document still marked 有效 after its 有效期至 (or 失效/废止日期)."""
    md = page.get("metadata") or {}
    validity_label = next((k for k in VALIDITY_LABELS if md.get(k)), None)
    cfg = rule_table(ctx.rules, "stale_page")
    if validity_label is None or not marked_valid(md[validity_label], cfg):
        return
    as_of = ctx.as_of or date.today().isoformat()
    for label in cfg.get("expiry_labels", ("有效期至",)):
        d = find_date(md.get(label) or "")
        if d and d.isoformat() < as_of:
            yield finding("stale_page", "deduct", page["url"], column=page.get("column"),
                          evidence=f"{label} {d.isoformat()}，{validity_label}：{md[validity_label]}",
                          suggestion=f"核对文件效力, 将{validity_label}改为失效或更新{label}",
                          kind="expired", expiry_label=label, expiry_date=d.isoformat(),
                          validity=md[validity_label], as_of=as_of)
            return


def check_run(run: RunData, ctx) -> Iterator[dict]:
    """The newest version of each yearly page, when older than its limit."""
    cfg = rule_table(ctx.rules, "stale_page")
    as_of = date.fromisoformat(run.as_of)
    rules = [(r, re.compile(r["title_regex"])) for r in cfg.get("yearly", ())]
    newest: dict[tuple[str, str], dict] = {}
    for page in run.pages.values():
        if page.get("page_type") in ("home", "column") or not page.get("publish_date"):
            continue
        if page["publish_date"] > run.as_of:
            continue
        for rule, rx in rules:
            if rx.search(page.get("title") or ""):
                key = (rule["name"], series_key(page["title"]))
                if key not in newest or page["publish_date"] > newest[key]["publish_date"]:
                    newest[key] = page
                break
    for (rule_name, _key), page in sorted(newest.items()):
        rule = next(r for r, _ in rules if r["name"] == rule_name)
        age = (as_of - date.fromisoformat(page["publish_date"])).days
        if age > int(rule["max_age_days"]):
            yield finding("stale_page", "deduct", page["url"], column=page.get("column"),
                          evidence=f"{page['title']} {page['publish_date']}",
                          suggestion=f"更新{rule['name']}", kind="yearly", rule=rule_name,
                          publish_date=page["publish_date"], days_old=age, limit_days=int(rule["max_age_days"]),
                          as_of=run.as_of, source=rule.get("source"))
