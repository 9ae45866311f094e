"""Reports read from the audited simulated portal: the workbook's counts equal the
database's, the text summary and the yearly figures, and the issue list's wording."""
from __future__ import annotations

import sqlite3

import openpyxl
import pytest

from conftest import run_cli


def db_counts(db, run_id=1):
    """(open, fixed) findings per check of a run, straight from SQLite."""
    con = sqlite3.connect(db)
    open_ = dict(con.execute('select f."check", count(*) from run_findings r join findings f using (fingerprint)'
                             ' where r.run_id = ? and f.fixed_run is not ? group by f."check"', [run_id, run_id]))
    fixed = dict(con.execute('select "check", count(*) from findings where fixed_run = ? group by "check"', [run_id]))
    con.close()
    return open_, fixed


@pytest.fixture(scope="module")
def workbook(audited_portal, tmp_path_factory):
    path = tmp_path_factory.mktemp("xlsx") / "问题清单.xlsx"
    run_cli("report", "--db", audited_portal.db, "--format", "xlsx", "-o", path)
    return openpyxl.load_workbook(path)


def summary_table(ws):
    rows = list(ws.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[1] == "检查项代码") + 1
    out = {}
    for r in rows[start:]:
        if r[0] == "合计":
            return out, r
        out[r[1]] = {"sheet": r[2], "open": r[3], "fixed": r[4], "total": r[5]}
    raise AssertionError("no 合计 row")


def test_workbook_summary_counts_equal_the_database(workbook, audited_portal):
    open_, fixed = db_counts(audited_portal.db)
    table, total = summary_table(workbook["汇总"])
    assert {c: v["open"] for c, v in table.items()} == open_
    assert all(v["fixed"] == fixed.get(c, 0) and v["total"] == v["open"] + v["fixed"] for c, v in table.items())
    assert total[3] == sum(open_.values()) and total[5] == sum(open_.values()) + sum(fixed.values())
    assert total[5] == len(audited_portal.findings)


def test_workbook_has_one_sheet_per_check_family_with_every_finding(workbook, audited_portal):
    table, _ = summary_table(workbook["汇总"])
    for sheet in {v["sheet"] for v in table.values()}:
        checks = {c for c, v in table.items() if v["sheet"] == sheet}
        rows = list(workbook[sheet].iter_rows(min_row=2, values_only=True))
        assert len(rows) == sum(table[c]["total"] for c in checks), sheet
    assert {"汇总", "栏目更新", "错链接", "错别字", "严重表述错误", "个人信息保护"} <= set(workbook.sheetnames)
    fingerprints = {r[14] for name in workbook.sheetnames[2:] for r in workbook[name].iter_rows(min_row=2, values_only=True)}
    assert fingerprints == {f["fingerprint"] for f in audited_portal.findings}
    trap = next(t for t in audited_portal.truth["traps"] if t["kind"] == "script_title")
    titles = [r[2] for r in workbook["错别字"].iter_rows(min_row=2, values_only=True) if r[3] == trap["url"]]
    assert titles and all(t == trap["title"] for t in titles)
    coverage = [r[0] for r in workbook["栏目更新"].iter_rows(min_row=2, values_only=True)]
    assert sorted(coverage) == sorted(c["name"] for c in audited_portal.truth["columns"])


def test_text_summary_lists_deductions_and_the_annual_terms(audited_portal):
    out = run_cli("report", "--db", audited_portal.db).stdout
    broken = [f for f in audited_portal.findings if f["check"] == "broken_link"]
    typos = sum(f["check"] == "typo" for f in audited_portal.findings)
    home = {f["target"] for f in broken if f["detail"]["on_home"]}
    other = {f["target"] for f in broken if not f["detail"]["on_home"]}
    assert f"  首页错链接: {len(home)} 个" in out and f"  其他页面错链接: {len(other)} 个" in out
    assert f"年度报告口径: 错别字 {typos} 个, 错链接 {len({f['url'] for f in broken})} 篇 " \
           f"({len({f['target'] for f in broken})} 个)" in out
    assert "[不合格] 严重表述错误" in out and "[合格] 站点可访问" in out
    # the coverage table starts with the worst columns
    table = out.split("栏目更新情况:")[1].splitlines()[2:]
    bad = [c["name"] for c in audited_portal.truth["columns"] if c["state"] != "ok"]
    assert {line.split(" | ")[0].strip() for line in table[:len(bad)]} == set(bad)


def test_year_report_counts_findings_first_seen_that_year(audited_portal, tmp_path):
    out_file = tmp_path / "year.txt"
    out = run_cli("report", "--db", audited_portal.db, "--year", "2020", "-o", out_file).stdout
    typos = sum(f["check"] == "typo" for f in audited_portal.findings)
    assert f"发现错别字 {typos} 个" in out and "已修改错别字 0 个, 错链接 0 篇, 0 个" in out
    assert out_file.read_text(encoding="utf-8") == out
    assert "发现错别字 0 个" in run_cli("report", "--db", audited_portal.db, "--year", "2019").stdout


def test_crawled_text_stays_text_in_the_workbook(tmp_path):
    """A page title that looks like a formula is written as a string (real SQLite, real openpyxl)."""
    from portal_audit.store import Store
    from reports.workbook import write_workbook
    store = Store(tmp_path / "a.db")
    run = store.start_run({"site": {"name": "测试区政府", "home": "http://127.0.0.1:8001/index.html"},
                           "columns": [{"name": "工作动态", "department": "区政府办"}]}, "2020-12-31")
    url = "http://127.0.0.1:8001/a.html"
    store.add_pages(run, [{"url": url, "final_url": url, "status": 200, "page_type": "article",
                           "title": "=HYPERLINK(\"http://evil.example\",\"点我\")\x07", "links": []}])
    store.record_findings(run, [{"check": "typo", "severity": "deduct", "url": url, "column": "工作动态",
                                 "target": None, "evidence": "布署", "suggestion": "部署",
                                 "detail": {"context": "=认真布署工作", "offset": 3}}])
    path = tmp_path / "x.xlsx"
    assert write_workbook(store, run, path) == 1
    ws = openpyxl.load_workbook(path)["错别字"]
    title = ws.cell(row=2, column=3)
    assert title.data_type == "s" and title.value == "=HYPERLINK(\"http://evil.example\",\"点我\")"
    assert ws.cell(row=2, column=1).value == "区政府办" and ws.cell(row=2, column=9).value == "…=认真【布署】工作…"


def test_issue_wording_and_marked_context():
    from reports.issues import describe, group_issues, marked_context, safe_href
    assert marked_context("……今年将认真布署年度重点工作", "布署", 6) == ("……今年将认真", "布署", "年度重点工作")
    assert marked_context("布署布署", "布署", 50) == ("", "布署", "布署")
    assert marked_context("没有", "布署") is None
    f = {"check": "broken_link", "evidence": None, "detail": {"anchor_text": "政策原文", "reason_label": "连接被拒绝"}}
    assert describe(f) == "链接“政策原文”无法访问：连接被拒绝"
    assert describe({"check": "stale_column", "severity": "deduct", "evidence": "2020-10-18",
                     "detail": {"newest_date": "2020-10-18", "days_since_update": 74, "limit_days": 14,
                                "category_label": "动态要闻类"}}) == \
        "栏目未及时更新：最新信息日期 2020-10-18，距检查日 74 天（动态要闻类栏目要求 14 天内更新）"
    assert safe_href("javascript:alert(1)") is None and safe_href("http://[fe80::1") is None
    rows = [{"department": "区政府办", "column": "工作动态", "status": "open"},
            {"department": "区政府办", "column": "通知公告", "status": "fixed"},
            {"department": "未指定责任部门", "column": "首页及其他页面", "status": "open"},
            {"department": "区司法局", "column": "规范性文件", "status": "open"}]
    groups = group_issues(rows)
    assert [g["department"] for g in groups] == ["区政府办", "区司法局", "未指定责任部门"]
    assert groups[0]["count"] == 2 and groups[0]["open"] == 1
