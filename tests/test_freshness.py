"""Column rules, coverage, letters and page staleness over small, realistic runs (no crawl, no I/O)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from checks import freshness, interaction, stale_page
from checks.context import CheckContext
from checks.rundata import RunData, merged_rules

H = "http://www.kaifu.gov.cn"
AS_OF = "2020-12-31"


def day(n_before: int) -> str:
    return (date.fromisoformat(AS_OF) - timedelta(days=n_before)).isoformat()


def column(name, category, path, **kw):
    return {"name": name, "url": H + path, "category": category, "official_documents": False, **kw}


def trs_items(col, ages, *, list_dates=True):
    """TRS list entries: t-dated URLs; list dates shown or not (图片新闻 shows none)."""
    out = []
    for i, age in enumerate(ages):
        d = date.fromisoformat(day(age))
        url = f"{col['url'].rsplit('/', 1)[0]}/{d:%Y%m}/t{d:%Y%m%d}_{1000 + i}.html"
        out.append({"column": col["name"], "url": url, "title": f"条目{i}", "list_date": day(age) if list_dates else None,
                    "date_raw": "", "list_url": col["url"]})
    return out


def index_page(col, pager=None, items=()):
    return {"url": col["url"], "final_url": col["url"], "status": 200, "page_type": "column", "column": col["name"],
            "title": col["name"], "publish_date": None, "list_items": list(items), "pager": pager}


FRESH_HOME = ({"url": f"{H}/qzf/gzdt/202012/t20201230_9.html", "title": "动态", "date": "2020-12-30"},)


def make_run(columns, items, pages=(), statuses=None, as_of=AS_OF, home_items=FRESH_HOME, links=()):
    pages = {p["url"]: p for p in pages}
    for c in columns:
        pages.setdefault(c["url"], index_page(c))
    pages.setdefault(H + "/index.html", {"url": H + "/index.html", "status": 200, "page_type": "home",
                                         "publish_date": None, "list_items": list(home_items), "pager": None})
    statuses = statuses or {c["url"]: {"url": c["url"], "outcome": "ok", "final_url": c["url"]} for c in columns}
    return RunData(as_of=as_of, home_url=H + "/index.html", pages=pages, links=list(links),
                   link_statuses=statuses, column_items=list(items), columns=list(columns))


def ctx(columns=(), rules=None, as_of=AS_OF):
    return CheckContext(site={"name": "开福区", "home": H + "/index.html"}, columns={c["name"]: c for c in columns},
                        rules=merged_rules(rules), as_of=as_of)


def run_checks(run, c=None):
    return list(freshness.check_run(run, c or ctx(run.columns)))


# ---------------------------------------------------------------- column rules
NEWS = column("工作动态", "news", "/qzf/gzdt/index.html")
NOTICE = column("通知公告", "notice", "/col/col1234/index.html")
PERSONNEL = column("人事任免", "personnel", "/zwgk/rsrm/index.html")
GUIDE = column("政府信息公开指南", "other", "/zwgk/xxgkzn/index.html")


@pytest.mark.parametrize("col, age, state", [
    (NEWS, 5, "ok"), (NEWS, 12, "warn"), (NEWS, 14, "warn"), (NEWS, 15, "stale"),
    (NOTICE, 150, "ok"), (NOTICE, 160, "warn"), (NOTICE, 184, "stale"),
    (PERSONNEL, 300, "ok"), (PERSONNEL, 340, "warn"), (PERSONNEL, 366, "stale"),
    (GUIDE, 900, "ok"),                      # other columns are held to no update limit by default
])
def test_each_category_is_held_to_its_own_limit(col, age, state):
    run = make_run([col], trs_items(col, [age, age + 20, age + 40]))
    row = freshness.column_coverage(run, merged_rules(None))[0]
    assert row["state"] == state and row["days_since_update"] == age
    found = run_checks(run)
    expected = {"stale": [("stale_column", "deduct")], "warn": [("stale_column", "warn")], "ok": []}[state]
    assert [(f["check"], f["severity"]) for f in found] == expected


def test_items_without_any_date_count_as_not_updated():
    col = column("街道动态", "news", "/qzf/jddt/index.html")
    items = [{"column": col["name"], "url": f"{H}/qzf/jddt/content_{i}.html", "title": "动态", "list_date": None,
              "date_raw": "", "list_url": col["url"]} for i in range(3)]
    run = make_run([col], items)
    row = freshness.column_coverage(run, merged_rules(None))[0]
    assert row["state"] == "stale" and row["newest_date"] is None and row["items_listed"] == 3
    [f] = run_checks(run)
    assert f["check"] == "stale_column" and f["evidence"] == "无日期" and f["detail"]["items_undated"] == 3


def test_a_list_without_dates_takes_them_from_the_articles_else_from_the_urls():
    photo = column("图片新闻", "news", "/qzf/tpxw/index.html")
    items = trs_items(photo, [3, 30, 60], list_dates=False)
    crawled = {"url": items[1]["url"], "status": 200, "page_type": "article", "publish_date": day(31),
               "list_items": [], "pager": None}
    run = make_run([photo], items, pages=[crawled])
    row = freshness.column_coverage(run, merged_rules(None))[0]
    assert (row["newest_date"], row["oldest_date"], row["state"]) == (day(3), day(60), "ok")   # URL dates
    assert freshness.item_date_and_source(items[1], run.pages) == (day(31), "page")
    assert row["items_crawled"] == 1 and row["items_30d"] == 1 and row["items_90d"] == 3


def test_empty_and_unreachable_columns():
    empty = column("数据发布", "other", "/sjkf/sjfb/index.html")
    gone = column("年度报告", "plan", "/zwgk/ndbg/index.html")
    statuses = {empty["url"]: {"outcome": "ok", "final_url": empty["url"]},
                gone["url"]: {"outcome": "broken", "reason": "http_4xx", "status_code": 404, "final_url": gone["url"]}}
    run = make_run([empty, gone], [], statuses=statuses)
    del run.pages[gone["url"]]
    rows = {r["name"]: r for r in freshness.column_coverage(run, merged_rules(None))}
    assert rows["数据发布"]["state"] == "empty" and rows["年度报告"]["state"] == "unreachable"
    assert rows["年度报告"]["reachable"] == 0
    found = {(f["check"], f["column"], f["severity"]) for f in run_checks(run)}
    assert found == {("empty_column", "数据发布", "deduct"), ("unreachable_column", "年度报告", "warn")}


def test_site_level_veto_counts_turn_column_findings_into_vetoes():
    cols = [column(f"动态{i}", "news", f"/qzf/dt{i}/index.html") for i in range(5)]
    items = [it for c in cols for it in trs_items(c, [30])]
    assert {f["severity"] for f in run_checks(make_run(cols, items))} == {"veto"}      # 5 stale news columns
    assert {f["severity"] for f in run_checks(make_run(cols[:4], items))} == {"deduct"}
    empties = [column(f"空栏目{i}", "other", f"/k/{i}/index.html") for i in range(5)]
    assert {(f["check"], f["severity"]) for f in run_checks(make_run(empties, []))} == {("empty_column", "veto")}


def test_thresholds_are_configurable_per_site_and_per_column():
    rules = {"column_stale_days": {"news": 30}, "column_warn_days_before": {"news": 0}}
    run = make_run([NEWS], trs_items(NEWS, [20]))
    assert run_checks(run, ctx([NEWS], rules)) == []
    strict = dict(NEWS, stale_days=7)
    assert [f["check"] for f in run_checks(make_run([strict], trs_items(strict, [8])))] == ["stale_column"]
    other_limited = {"column_stale_days": {"other": 365}}
    run = make_run([GUIDE], trs_items(GUIDE, [400]))
    assert [f["check"] for f in run_checks(run, ctx([GUIDE], other_limited))] == ["stale_column"]


def test_rules_are_measured_on_the_as_of_day_and_later_items_do_not_count():
    items = trs_items(NEWS, [-5, 20])          # one item dated after the as-of day, one 20 days before it
    row = freshness.column_coverage(make_run([NEWS], items), merged_rules(None))[0]
    assert row["newest_date"] == day(20) and row["state"] == "stale"
    row = freshness.column_coverage(make_run([NEWS], items, as_of=day(15)), merged_rules(None))[0]
    assert row["days_since_update"] == 5 and row["state"] == "ok"


def test_items_listed_come_from_the_pagers_own_count():
    run = make_run([NOTICE], trs_items(NOTICE, [1, 2]))
    run.pages[NOTICE["url"]]["pager"] = {"kind": "hanweb", "total_pages": 13, "total_items": 245, "current": 1}
    row = freshness.column_coverage(run, merged_rules(None))[0]
    assert (row["items_listed"], row["items_crawled"]) == (245, 0)
    run = make_run([NEWS], trs_items(NEWS, [1, 2, 3]))
    run.pages[NEWS["url"]]["pager"] = {"kind": "trs", "total_pages": 5, "current": 1}
    assert freshness.column_coverage(run, merged_rules(None))[0]["items_listed"] == 81   # at least 4 full pages + 1
    assert freshness.listed_total({"kind": "trs", "total_pages": 2}, 34) == 34


# ---------------------------------------------------------------- the home page
def test_home_page_stale_veto_and_early_warning():
    home_items = [{"url": f"{H}/qzf/gzdt/202012/t20201230_1.html", "title": "动态", "date": "2020-12-30"},
                  {"url": f"{H}/qzf/gzdt/202101/t20210105_2.html", "title": "未来", "date": "2021-01-05"}]
    for as_of, expected in (("2020-12-31", []), ("2021-01-12", [("stale_home", "warn")]),
                            ("2021-01-13", [("stale_home", "warn")]), ("2021-01-14", [("stale_home", "veto")])):
        run = make_run([], [], home_items=home_items[:1], as_of=as_of)
        assert [(f["check"], f["severity"]) for f in run_checks(run, ctx(as_of=as_of))] == expected, as_of
    run = make_run([], [], home_items=home_items, as_of="2021-01-15")    # a later item, within the as-of day
    assert [f["severity"] for f in run_checks(run, ctx(as_of="2021-01-15"))] == []


# ---------------------------------------------------------------- date conflicts
def test_list_date_that_disagrees_with_its_article_is_a_warning():
    items = trs_items(NEWS, [5, 9])
    article = {"url": items[1]["url"], "status": 200, "page_type": "article", "publish_date": day(2),
               "list_items": [], "pager": None}
    found = [f for f in run_checks(make_run([NEWS], items, pages=[article])) if f["check"] == "date_conflict"]
    assert [(f["url"], f["severity"], f["evidence"]) for f in found] == [
        (items[1]["url"], "warn", f"列表日期 {day(9)} / 页面日期 {day(2)}")]
    items[0]["url"] = items[0]["url"].replace(date.fromisoformat(day(5)).strftime("t%Y%m%d"), "t20200101")
    found = [f for f in run_checks(make_run([NEWS], items[:1])) if f["check"] == "date_conflict"]
    assert found and found[0]["detail"]["date_sources"]["url"] == "2020-01-01"   # not crawled: the URL date


def test_page_whose_pubdate_tag_disagrees_with_its_date_line():
    page = {"url": f"{H}/qzf/tpxw/202012/t20201201_5.html", "final_url": f"{H}/qzf/tpxw/202012/t20201201_5.html",
            "page_type": "article", "column": "图片新闻", "publish_date": "2020-12-01", "date_source": "text",
            "meta_tags": {"PubDate": "2020-11-24 09:00"}, "metadata": {"发布时间": "2020-12-01 09:00"}}
    [f] = freshness.check(page, ctx())
    assert f["check"] == "date_conflict" and f["detail"]["days_apart"] == 7
    page["meta_tags"]["PubDate"] = "2020-11-30 23:00"
    assert list(freshness.check(page, ctx())) == []


# ---------------------------------------------------------------- unanswered letters
MAILBOX = column("区长信箱", "interaction", "/hdjl/qzxx/index.html")


def letter(n, letter_date, status, reply_date=None):
    md = {"来信日期": letter_date, "状态": status}
    if reply_date:
        md.update({"回复日期": reply_date, "回复单位": "长沙市开福区城管局"})
    return {"url": f"{H}/hdjl/qzxx/content_{n}.html", "page_type": "article", "column": "区长信箱",
            "publish_date": letter_date, "metadata": md}


def test_letters_unanswered_past_three_months_within_the_year_are_vetoes():
    c = ctx([MAILBOX])
    cases = {1: (letter(1, "2020-09-30", "办理中"), True),        # 92 days
             2: (letter(2, "2020-10-01", "办理中"), False),       # 91 days: not past the limit
             3: (letter(3, "2019-12-01", "办理中"), False),       # older than a year
             4: (letter(4, "2020-03-01", "已回复", "2020-03-09"), False),
             5: (letter(5, "2020-05-01", "已回复", "2021-01-03"), True)}   # answered only after the as-of day
    for n, (page, flagged) in cases.items():
        found = list(interaction.check(page, c))
        assert bool(found) == flagged, n
        if found:
            assert found[0]["check"] == "unanswered_message" and found[0]["severity"] == "veto"
    other = dict(letter(6, "2020-01-01", "办理中"), column="工作动态")
    assert list(interaction.check(other, c)) == []               # not an interaction column


def test_average_reply_time_of_the_past_year():
    letters = [interaction.read_letter(p) for p in (letter(1, "2020-09-30", "办理中"),
                                                     letter(4, "2020-03-01", "已回复", "2020-03-09"),
                                                     letter(7, "2020-11-01", "已回复", "2020-11-05"),
                                                     letter(8, "2019-01-01", "已回复", "2019-06-01"))]
    stats = interaction.reply_stats(letters, AS_OF)
    assert stats["letters"] == 3 and stats["answered"] == 2 and stats["overdue"] == 1
    assert stats["avg_reply_days"] == 6.0 and stats["max_reply_days"] == 8


# ---------------------------------------------------------------- stale pages
def doc(validity, **dates):
    return {"url": f"{H}/zwgk/gfxwj/content_1.html", "page_type": "article", "column": "规范性文件",
            "metadata": {"有效性": validity, **dates}}


def test_document_still_marked_valid_after_its_expiry():
    [f] = stale_page.check(doc("有效", 有效期至="2020年10月31日"), ctx())
    assert f["check"] == "stale_page" and f["detail"]["expiry_date"] == "2020-10-31"
    assert list(stale_page.check(doc("有效", 有效期至="2022年12月31日"), ctx())) == []
    assert list(stale_page.check(doc("失效", 有效期至="2020年10月31日"), ctx())) == []
    assert list(stale_page.check(doc("有效", 有效期至="2021-01-31"), ctx(as_of="2021-02-01")))


def test_yearly_pages_are_judged_by_their_newest_version():
    def art(n, title, published):
        return {"url": f"{H}/zwgk/xxgkzn/content_{n}.html", "status": 200, "page_type": "article",
                "column": "政府信息公开指南", "title": title, "publish_date": published}
    pages = [art(1, "区财政局政府信息公开指南（2018年版）", "2018-06-01"),
             art(2, "区财政局政府信息公开指南（2020年修订）", "2020-03-01"),
             art(3, "开福区2018年政府信息公开工作年度报告", "2019-03-29"),
             art(4, "区城管局政府信息公开指南", "2019-11-30")]
    run = make_run([], [], pages=pages)
    found = {f["url"].rsplit("_", 1)[1]: f["detail"]["rule"] for f in stale_page.check_run(run, ctx())}
    assert found == {"3.html": "政府信息公开工作年度报告", "4.html": "政府信息公开指南"}


# ---------------------------------------------------------------- columns the config does not list
def test_columns_in_the_navigation_that_the_config_does_not_list():
    section = {"url": f"{H}/qzf/index.html", "status": 200, "page_type": "other", "publish_date": None,
               "list_items": [{"url": f"{H}/qzf/gzdt/202012/t20201230_1000.html", "date": day(1)}], "pager": None}
    unlisted = {"url": f"{H}/qzf/jddt/index.html", "status": 200, "page_type": "other", "publish_date": None,
                "list_items": [{"url": f"{H}/qzf/jddt/content_{i}.html", "date": day(i + 20)} for i in range(3)],
                "pager": {"kind": "plain", "total_pages": None, "current": 1}}
    about = {"url": f"{H}/about/index.html", "status": 200, "page_type": "other", "publish_date": None,
             "list_items": [], "pager": None}
    home = H + "/index.html"
    links = [{"source_url": s, "target_url": t, "anchor_text": a} for s, t, a in (
        (home, section["url"], "区政府"), (NEWS["url"], section["url"], "区政府"), (about["url"], section["url"], "区政府"),
        (unlisted["url"], section["url"], "区政府"), (section["url"], unlisted["url"], "街道动态"),
        (section["url"], unlisted["url"], "更多>>"), (home, about["url"], "关于本网"))]
    run = make_run([NEWS], trs_items(NEWS, [1]), pages=[section, unlisted, about], links=links)
    rows = {r["name"]: r for r in freshness.column_coverage(run, merged_rules(None))}
    assert set(rows) == {"工作动态", "街道动态"}
    assert rows["街道动态"]["state"] == "unlisted" and rows["街道动态"]["category"] == "news"
    assert rows["街道动态"]["newest_date"] == day(20) and rows["街道动态"]["items_listed"] == 3
    assert all(f["column"] != "街道动态" for f in run_checks(run))       # reported, never judged
