"""The Excel workbook for departments (问题清单.xlsx): a summary sheet, the column
coverage, and one sheet per check family with the issue list.

The summary sheet's counts are the database's: the findings a run saw or kept
open, and those it fixed, by check. Every cell that holds crawled text is
written as a string, never as a formula (a title starting with ``=`` stays
text), with characters Excel cannot store removed.

>>> write_workbook(Store("audit.db"), run_id, "问题清单.xlsx")   # doctest: +SKIP
"""
from __future__ import annotations

from pathlib import Path

from checks.freshness import CATEGORY_LABELS, STATE_LABELS
from reports.issues import FAMILIES, family_label, issue_rows
from reports.summary import CHECK_LABELS, VERDICT_LABELS, build_summary

SUMMARY_SHEET = "汇总"
COVERAGE_SHEET = "栏目更新"
ISSUE_HEADERS = ("责任部门", "栏目", "页面标题", "页面地址", "检查项", "级别", "问题", "问题内容", "证据（上下文）",
                 "目标链接", "修改建议", "首次发现", "最近发现", "状态", "指纹")
COVERAGE_HEADERS = ("栏目", "类别", "责任部门", "状态", "列表条目", "已抓取", "最新日期", "距今天数", "更新时限(天)",
                    "剩余天数", "近30天", "近90天", "近一年", "栏目地址")
SUMMARY_HEADERS = ("检查项", "检查项代码", "问题类别", "未修复", "本次已修复", "合计")


def _clean(value):
    """Strings without the control characters Excel refuses; other values as they are."""
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
        return ILLEGAL_CHARACTERS_RE.sub("", value)[:32000]
    return value


def _append(ws, values, *, bold=False):
    """Append a row; strings always stay strings (never formulas)."""
    from openpyxl.styles import Font
    row = ws.max_row + 1 if ws.max_row > 1 or ws.cell(1, 1).value is not None else 1
    for col, value in enumerate(values, 1):
        cell = ws.cell(row=row, column=col)
        cell.value = _clean(value)
        if isinstance(value, str):
            cell.data_type = "s"
        if bold:
            cell.font = Font(bold=True)
    return row


def _widths(ws, widths):
    from openpyxl.utils import get_column_letter
    for i, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = w


def family_sheet_name(family: str) -> str:
    # sheet names: at most 31 characters, none of []:*?/\
    name = family_label(family)
    for ch in "[]:*?/\\":
        name = name.replace(ch, "_")
    return name[:31]


def write_workbook(store, run_id: int, path) -> int:
    """Write the workbook; return the number of findings listed (open and fixed by this run)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    summary = build_summary(store, run_id)
    rows = issue_rows(store, run_id)
    wb = Workbook()
    ws = wb.active
    ws.title = SUMMARY_SHEET
    _append(ws, (f"{summary['site']} 网站检查问题清单",), bold=True)
    _append(ws, ("检查基准日", summary["as_of"], "运行编号", summary["run_id"]))
    _append(ws, ("总体结论", VERDICT_LABELS[summary["verdict"]]))
    a = summary["annual"]
    _append(ws, ("年度报告口径", f"错别字 {a['typos']} 个", f"错链接 {a['broken_pages']} 篇",
                 f"错链接 {a['broken_targets']} 个"))
    _append(ws, ())
    _append(ws, SUMMARY_HEADERS, bold=True)
    counts: dict[str, dict[str, int]] = {}
    for r in rows:
        c = counts.setdefault(r["check"], {"open": 0, "fixed": 0})
        c[r["status"]] = c.get(r["status"], 0) + 1
    order = [check for _k, _l, checks in FAMILIES for check in checks]
    for check in sorted(counts, key=lambda c: (order.index(c) if c in order else len(order), c)):
        c = counts[check]
        _append(ws, (CHECK_LABELS.get(check, check), check, family_sheet_name(rows_family(rows, check)),
                     c["open"], c["fixed"], c["open"] + c["fixed"]))
    _append(ws, ("合计", "", "", sum(c["open"] for c in counts.values()), sum(c["fixed"] for c in counts.values()),
                 len(rows)), bold=True)
    _append(ws, ())
    _append(ws, ("单项否决指标", "否决条件", "结论", "依据"), bold=True)
    for v in summary["verdicts"]:
        _append(ws, (v["rule"], v["condition"], v["label"], v["evidence"] or ""))
    _append(ws, ())
    _append(ws, ("扣分项", "数量", "单位", "说明"), bold=True)
    for d in summary["deductions"]:
        _append(ws, (d["item"], d["count"], d["unit"], d["detail"]))
    _widths(ws, (26, 22, 24, 14, 14, 10))

    cov = wb.create_sheet(COVERAGE_SHEET)
    _append(cov, COVERAGE_HEADERS, bold=True)
    for c in summary["columns_worst_first"]:
        _append(cov, (c["name"], CATEGORY_LABELS.get(c["category"], c["category"]), c["department"] or "",
                      STATE_LABELS.get(c["state"], c["state"]), c["items_listed"], c["items_crawled"],
                      c["newest_date"] or "", c["days_since_update"], c["rule_days"], c["days_to_limit"],
                      c["items_30d"], c["items_90d"], c["items_365d"], c["url"]))
    _widths(cov, (18, 12, 16, 12, 10, 10, 12, 10, 12, 10, 8, 8, 8, 50))
    cov.freeze_panes = "A2"

    wrap = Alignment(wrap_text=True, vertical="top")
    by_family: dict[str, list] = {}
    for r in rows:
        by_family.setdefault(r["family"], []).append(r)
    family_order = [k for k, _l, _c in FAMILIES]
    for family in sorted(by_family, key=lambda f: (family_order.index(f) if f in family_order else 99, f)):
        sheet = wb.create_sheet(family_sheet_name(family))
        _append(sheet, ISSUE_HEADERS, bold=True)
        for r in sorted(by_family[family], key=lambda r: (r["department"], r["column"], r["status"] != "open", r["url"])):
            n = _append(sheet, (r["department"], r["column"], r["page_title"], r["url"], r["check_label"],
                                r["severity_label"], r["problem"], r["evidence"], r["context_text"],
                                r["target"] or "", r["suggestion"], r["first_seen"], r["last_seen"],
                                r["status_label"], r["fingerprint"]))
            for col in (3, 7, 9):
                sheet.cell(row=n, column=col).alignment = wrap
        _widths(sheet, (16, 14, 36, 40, 14, 8, 36, 18, 48, 40, 24, 12, 12, 8, 22))
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return len(rows)


def rows_family(rows: list[dict], check: str) -> str:
    return next((r["family"] for r in rows if r["check"] == check), check)
