"""Extraction from the page shapes real CMSs emit: TRS pagers, Hanweb datastores, GBK, date formats."""
import lxml.html

from crawler import cms, extract
from crawler.dates import date_from_url, find_date

HOST = "www.kaifu.gov.cn"

TRS_LIST = """<html><head><meta charset="utf-8"><title>工作动态</title>
<meta name="ColumnName" content="工作动态"></head><body>
<div class="nav"><ul><li><a href="../../index.html">首页</a></li></ul></div>
<ul class="list">
<li><a href="./202012/t20201230_901.html" title="区政府召开常务会议">区政府召开常务会议</a><span>2020-12-30</span></li>
<li><a href="./202012/t20201228_900.html">开福区部署冬季安全生产工作</a><span>[2020-12-28]</span></li>
<li><a href="./202011/t20201101_899.html">街道开展志愿服务</a><span>2020年11月01日</span></li>
</ul>
<script>createPageHTML(13, 0, "index", "html");</script>
<div class="footer">网站标识码：4301050001 <a href="mailto:kf@example.gov.cn">联系我们</a></div>
</body></html>"""

HANWEB_LIST = """<html><head><title>通知公告</title></head><body>
<div id="5678"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&webid=1&path=/&columnid=1234&unitid=5678"></a>]]></nextgroup>
<recordset>
<record><![CDATA[<li><a href="/art/2020/12/1/art_1234_56789.html" title="关于做好冬春火灾防控工作的通知">关于做好冬春火灾防控工作的通知</a><span>2020-12-01</span></li>]]></record>
<record><![CDATA[<li><a href="/art/2020/11/3/art_1234_56700.html" title="公示">公示</a><span>2020-11-03</span></li>]]></record>
</recordset></datastore></script></div>
<script>jpage({"totalRecord":245,"perPage":20,"groupSize":3,"proxyUrl":"/module/web/jpage/dataproxy.jsp","columnid":"1234","unitid":"5678"});</script>
</body></html>"""


def parse(html, url):
    root = lxml.html.fromstring(html)
    return extract.extract_page(root, url, allowed_hosts={HOST})


def test_trs_list_page_yields_items_dates_and_script_only_pages():
    rec = parse(TRS_LIST, f"http://{HOST}/zwgk/gzdt/index.html")
    items = {i["url"].rsplit("/", 1)[1]: i["date"] for i in rec["list_items"]}
    assert items == {"t20201230_901.html": "2020-12-30", "t20201228_900.html": "2020-12-28",
                     "t20201101_899.html": "2020-11-01"}
    assert rec["pager"]["kind"] == "trs" and rec["pager"]["total_pages"] == 13
    assert rec["pager"]["urls"][1] == f"http://{HOST}/zwgk/gzdt/index_1.html"
    assert rec["pager"]["urls"][-1] == f"http://{HOST}/zwgk/gzdt/index_12.html"
    kinds = {l["url"]: l["kind"] for l in rec["links"]}
    assert kinds[f"http://{HOST}/index.html"] == "page"
    assert kinds["mailto:kf@example.gov.cn"] == "unsupported"
    assert "网站标识码" in rec["footer_text"]


def test_hanweb_datastore_records_are_items_and_later_batches_come_from_dataproxy():
    rec = parse(HANWEB_LIST, f"http://{HOST}/col/col1234/index.html")
    assert [i["url"] for i in rec["list_items"]] == [f"http://{HOST}/art/2020/12/1/art_1234_56789.html",
                                                     f"http://{HOST}/art/2020/11/3/art_1234_56700.html"]
    assert rec["list_items"][0]["date"] == "2020-12-01"
    assert rec["pager"]["total_items"] == 245
    # records 61..245 in batches of 60
    assert [u.split("?")[1].split("&")[0] for u in rec["pager"]["urls"]] == ["startrecord=61", "startrecord=121", "startrecord=181", "startrecord=241"]


def test_trs_pager_with_variables():
    pager = cms.trs_pager('var countPage = 4;//共多少页\nvar currentPage = 0;\ncreatePageHTML(countPage, currentPage, "index", "shtml");',
                          "http://x/a/index.shtml")
    assert pager["urls"] == ["http://x/a/index.shtml", "http://x/a/index_1.shtml", "http://x/a/index_2.shtml", "http://x/a/index_3.shtml"]


def test_gbk_article_metadata_table_and_inline_spans():
    html = """<html><head><meta charset="gbk"><title>关于印发方案的通知</title>
    <meta name="PubDate" content="2020-06-02 09:00"></head><body>
    <table class="xxgk"><tr><td>索引号：</td><td>430105001/2020-00123</td><td>发布机构：</td><td>区政府办</td></tr>
    <tr><td>成文日期：</td><td>2020年06月01日</td><td>文号：</td><td>开政办发〔2020〕12号</td></tr></table>
    <div class="TRS_Editor"><p>各街道：为切实做好部<span>署</span>工作&nbsp;现将方案印发给你们。</p>
    <p>（此件主动公开）</p></div></body></html>""".encode("gbk")
    root = lxml.html.fromstring(html.decode("gbk"))
    rec = extract.extract_page(root, "http://x/a/t20200602_1.html", allowed_hosts={"x"})
    assert rec["publish_date"] == "2020-06-02" and rec["date_source"] == "meta:PubDate"
    assert "部署工作" in rec["body_text"]          # the word split across <span>s stays whole
    assert "\xa0" not in rec["body_text"]
    assert rec["metadata"]["索引号"] == "430105001/2020-00123"
    assert rec["metadata"]["文号"] == "开政办发〔2020〕12号"
    assert rec["metadata"]["成文日期"] == "2020年06月01日"


def test_links_are_normalised_like_a_browser():
    base = "http://x/a/b/page.html"
    assert extract.normalise_link("../c/d.html", base) == "http://x/a/c/d.html"
    assert extract.normalise_link("..\\c\\d.html", base) == "http://x/a/c/d.html"
    assert extract.normalise_link("//other.gov.cn/x", base) == "http://other.gov.cn/x"
    assert extract.normalise_link("/附件/通知 1.pdf", base) == "http://x/%E9%99%84%E4%BB%B6/%E9%80%9A%E7%9F%A5%201.pdf"
    assert extract.normalise_link("#top", base) is None
    assert extract.normalise_link("javascript:void(0)", base) is None


def test_dates_in_every_written_form():
    assert str(find_date("[2020-12-01]")) == "2020-12-01"
    assert str(find_date("发布时间：2020年12月1日 来源：区政府办")) == "2020-12-01"
    assert find_date("2020-13-45") is None
    assert str(date_from_url("http://x/zwgk/202012/t20201201_1.html")) == "2020-12-01"
    assert date_from_url("http://x/about.html") is None


def test_bad_input_links_are_normalised_or_marked():
    assert extract.normalise_link("http://政府.中国/通知 1.html", "http://x/") == \
        "http://xn--mxtq1m.xn--fiqs8s/%E9%80%9A%E7%9F%A5%201.html"          # IDN host, space, Chinese path
    assert extract.normalise_link("  HTTP://WWW.Example.gov.cn/a  ", "http://x/") == "http://www.example.gov.cn/a"
    assert extract.normalise_link("http://x:80a/", "http://x/") is None     # a malformed port
    root = lxml.html.fromstring('<p><a href="ftp://files.gov.cn/a.zip">ftp</a><a href="http://[bad">bad</a>'
                                '<a href="localhost:8080/x.html">relative with a colon</a></p>')
    kinds = {l["text"]: l["kind"] for l in extract.collect_links(root, "http://x/a/", {"x"})}
    assert kinds == {"ftp": "unsupported", "bad": "bad_url", "relative with a colon": "bad_url"}  # a forgotten http://
