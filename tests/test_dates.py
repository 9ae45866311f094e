"""Publish dates from every source a page has, which one is trusted, and when they disagree."""
from __future__ import annotations

import lxml.html

from crawler import extract
from crawler.dates import date_conflicts, date_sources, pick_date, record_date_sources

HOST = "www.kaifu.gov.cn"

# A TRS article: 目录 metadata table, a 发布时间 line, the PubDate tag and a dated URL, all agreeing.
TRS_ARTICLE = """<html><head><meta charset="utf-8"><title>关于印发方案的通知</title>
<meta name="ArticleTitle" content="关于印发方案的通知"><meta name="PubDate" content="2020-12-01 09:30"></head><body>
<div class="article"><table class="xxgk-table">
<tr><th>索引号：</th><td>430105001/2020-00123</td><th>发布机构：</th><td>长沙市开福区人民政府</td></tr>
<tr><th>成文日期：</th><td>2020-11-25</td><th>文号：</th><td>开政发〔2020〕12号</td></tr>
<tr><th>主题分类：</th><td>综合政务</td><th>发布日期：</th><td>2020-12-01</td></tr></table>
<h1>关于印发方案的通知</h1>
<div class="info">发布时间：2020-12-01 09:30　来源：区政府办　<a href="javascript:window.print()">【打印】</a></div>
<div class="TRS_Editor"><p>各街道办事处：现将方案印发给你们。</p></div></div></body></html>"""

# A plain-CMS letter (区长信箱): th/td rows without colons.
LETTER = """<html><head><meta charset="utf-8"><title>反映路灯损坏问题</title></head><body><div class="wrap">
<h1>反映路灯损坏问题</h1><p class="date-line">发布时间：2020年02月27日　来源：区长信箱</p>
<div class="article-content"><table class="letter">
<tr><th>来信标题</th><td>反映路灯损坏问题</td></tr><tr><th>来信日期</th><td>2020-02-27</td></tr>
<tr><th>来信内容</th><td>希望相关部门能够尽快协调解决，谢谢！</td></tr><tr><th>状态</th><td>已回复</td></tr>
<tr><th>回复单位</th><td>长沙市开福区城管局</td></tr><tr><th>回复日期</th><td>2020-03-08</td></tr>
<tr><th>回复内容</th><td>您好！您反映的问题已收悉。</td></tr></table></div></div></body></html>"""


def parse(html, url):
    return extract.extract_page(lxml.html.fromstring(html), url, allowed_hosts={HOST})


def test_every_source_of_an_articles_date_is_read_and_the_visible_one_wins():
    url = f"http://{HOST}/zwgk/qzfwj/202012/t20201201_100123.html"
    rec = parse(TRS_ARTICLE, url)
    assert rec["publish_date"] == "2020-12-01" and rec["date_source"] == "metadata:发布日期"
    assert rec["metadata"]["发布时间"] == "2020-12-01 09:30"        # the date line, cut at its date and time
    assert record_date_sources(rec) == {"metadata:发布日期": "2020-12-01", "text": "2020-12-01",
                                        "meta:PubDate": "2020-12-01", "url": "2020-12-01",
                                        "metadata:成文日期": "2020-11-25"}
    assert date_conflicts(record_date_sources(rec)) == []              # 成文日期 precedes publication: not compared


def test_a_page_whose_only_date_is_in_its_url():
    for url, expected in ((f"http://{HOST}/qzf/tpxw/202011/t20201120_7.html", "2020-11-20"),
                          (f"http://{HOST}/art/2020/3/9/art_1234_5.html", "2020-03-09")):
        rec = parse("<html><body><div class='content'><p>图片</p></div></body></html>", url)
        assert (rec["publish_date"], rec["date_source"]) == (expected, "url")


def test_date_line_forms_and_fallback_to_written_date():
    assert pick_date(date_sources({}, {"成文日期": "2020年1月7日"}, "", "http://x/a.html")) == ("2020-01-07", "metadata:成文日期")
    s = date_sources({}, {}, "标题\n发表时间：[2020-06-02] 来源：本网", "", dateline_re=extract._DATELINE_RE)
    assert s == {"text": "2020-06-02"}
    assert date_sources({"PubDate": "2020/12/01"}, {}, "", "") == {"meta:PubDate": "2020-12-01"}


def test_sources_more_than_a_day_apart_conflict():
    sources = {"text": "2020-12-01", "meta:PubDate": "2020-11-24", "url": "2020-12-02"}
    assert date_conflicts(sources) == [("text", "meta:PubDate", 7), ("meta:PubDate", "url", 8)]
    assert date_conflicts({"text": "2020-12-01", "url": "2020-12-02"}) == []       # one day apart is tolerated
    assert date_conflicts({"list": "2020-12-01", "url": "2020-12-05"}, tolerance_days=5) == []


def test_letter_fields_are_read_from_cells_without_colons():
    rec = parse(LETTER, f"http://{HOST}/hdjl/qzxx/content_100253.html")
    md = rec["metadata"]
    assert md["来信日期"] == "2020-02-27" and md["状态"] == "已回复"
    assert md["回复单位"] == "长沙市开福区城管局" and md["回复日期"] == "2020-03-08"
    assert rec["publish_date"] == "2020-02-27" and rec["date_source"] == "text"


def test_validity_labels_are_told_apart_from_each_other():
    md = extract.read_metadata("有效性：有效　　有效期至：2020年10月31日\n废止日期：")
    assert md["有效性"] == "有效" and md["有效期至"] == "2020年10月31日"
