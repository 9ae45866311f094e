"""The self-contained HTML report: one file, inline CSS, JS and SVG, no network needed.

Rendered with Jinja2 and autoescape on, so every string that came from a
crawled page (titles, anchor texts, contexts, URLs) shows as text. Links are
live only for http(s) URLs.

>>> write_html(Store("audit.db"), run_id, "audit-report.html")   # doctest: +SKIP
"""
from __future__ import annotations

import secrets
from datetime import datetime, timezone
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader

from checks.freshness import CATEGORY_LABELS, STATE_LABELS
from reports.charts import bar_chart, line_chart
from reports.history import build_diff
from reports.issues import NO_COLUMN, group_issues, issue_rows
from reports.summary import CHECK_LABELS, VERDICT_LABELS, build_summary, build_year

TEMPLATES = Path(__file__).resolve().parent / "templates"
TREND_RUNS = 12


@cache
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["or_dash"] = lambda v: "-" if v is None or v == "" else v
    return env


def report_data(store, run_id: int, *, year: int | None = None) -> dict:
    """Everything the HTML report shows, as plain data."""
    summary = build_summary(store, run_id)
    issues = issue_rows(store, run_id)
    open_issues = [r for r in issues if r["status"] == "open"]
    by_check: dict[str, int] = {}
    by_column: dict[str, int] = {}
    for r in open_issues:
        by_check[r["check_label"]] = by_check.get(r["check_label"], 0) + 1
        by_column[r["column"]] = by_column.get(r["column"], 0) + 1
    trend = store.open_counts(summary["site"], last=TREND_RUNS)
    previous = store.previous_run_id(run_id)
    diff = build_diff(store, previous, run_id)
    families = sorted({(r["family"], r["family_label"]) for r in issues})
    departments = sorted({r["department"] for r in issues})
    return {
        "s": summary, "issues": issues, "groups": group_issues(issues),
        "families": families, "departments": departments,
        "open_count": len(open_issues), "fixed_count": len(issues) - len(open_issues),
        "diff": diff, "previous_run": previous,
        "year": build_year(store, summary["site"], year) if year else None,
        "charts": {
            "by_check": bar_chart(list(by_check.items()), title="未修复问题: 按检查项", chart_id="chart-by-check"),
            "by_column": bar_chart(list(by_column.items()), title="未修复问题: 按栏目", chart_id="chart-by-column"),
            "trend": line_chart([(r["as_of"] or f"#{r['run_id']}", r["open"]) for r in trend],
                                title=f"最近{len(trend)}次检查的未修复问题数", chart_id="chart-trend"),
        },
        "labels": {"check": CHECK_LABELS, "verdict": VERDICT_LABELS, "state": STATE_LABELS,
                   "category": CATEGORY_LABELS, "no_column": NO_COLUMN},
        "generated_at": datetime.now(timezone.utc).astimezone().strftime("%Y-%m-%d %H:%M"),
        "nonce": secrets.token_urlsafe(16),   # only the report's own script may run (Content-Security-Policy)
    }


def render_html(store, run_id: int, *, year: int | None = None) -> str:
    return environment().get_template("report.html.j2").render(**report_data(store, run_id, year=year))


def write_html(store, run_id: int, path, *, year: int | None = None) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(store, run_id, year=year), encoding="utf-8")
    return path
