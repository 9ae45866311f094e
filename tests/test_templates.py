"""Text blocks, and template findings: one finding for a problem a template repeats on many pages."""
from __future__ import annotations

from checks import metatags, privacy, templates, textblocks, typos
from checks.context import CheckContext

HOME = "http://www.kaifu.gov.cn/index.html"
SITE = {"name": "长沙市开福区人民政府", "home": HOME, "site_id_code": "4301050001"}
COLS = {name: {"name": name, "url": f"http://www.kaifu.gov.cn/{key}/index.html", "category": "news"}
        for key, name in (("gzdt", "工作动态"), ("tzgg", "通知公告"), ("bmdt", "部门动态"))}
TAGS = {"SiteName": "开福区", "SiteDomain": "www.kaifu.gov.cn", "SiteIDCode": "4301050001",
        "ArticleTitle": "t", "PubDate": "2020-12-01", "ContentSource": "区政府办"}
FOOTER = "主办单位：长沙市开福区人民政府办公室\n网站标识码：4301050001　湘ICP备05006000号　湘公网安备 43010502000123号"
BADGE = [{"url": "http://bszs.conac.cn/sitename?method=show&id=1", "tag": "a", "text": "", "kind": "external"}]


def ctx():
    return CheckContext(site=SITE, columns=COLS, rules={}, as_of="2020-12-31")


def article(n, column, body="区政府召开常务会议，研究部署冬季安全生产工作。", footer=FOOTER, tags=None, page_type="article"):
    url = f"http://www.kaifu.gov.cn/{column}/t{n}.html"
    return {"url": url, "final_url": url, "status": 200, "page_type": page_type, "column": column,
            "title": f"开福区工作动态第{n}期", "publish_date": "2020-12-01", "body_text": f"第{n}篇独有的段落内容。\n{body}",
            "metadata": {}, "meta_tags": dict(TAGS if tags is None else tags), "footer_text": footer, "links": BADGE}


def audit(pages):
    """What the audit does: page checks, the survey, the template run check, then drop covered page findings."""
    c = ctx()
    survey = c.templates = templates.Survey(c)
    found = []
    for p in pages:
        page_found = [f for m in (typos, privacy, metatags) for f in m.check(p, c)]
        survey.add(p, page_found)
        found += page_found
    found += list(templates.check_run(None, c))
    return survey.drop_covered(found)


def test_a_typo_in_a_footer_line_is_one_finding_with_its_page_count():
    footer = FOOTER + "\n建议使用IE9以上浏览器，或按装最新版浏览器访问本网站"
    pages = [article(i, "工作动态", footer=footer) for i in range(4)] + \
            [article(i, "通知公告", footer=footer) for i in range(10, 13)] + [article(20, "部门动态")]
    found = [f for f in audit(pages) if f["check"] == "typo"]
    assert len(found) == 1
    f = found[0]
    assert (f["url"], f["column"], f["evidence"], f["suggestion"]) == (HOME, None, "按装", "安装")
    d = f["detail"]
    assert d["template"] is True and d["pages_affected"] == 7 and d["field"] == "footer"
    assert d["columns"] == ["工作动态", "通知公告"] and d["sample_urls"][0] == pages[0]["url"]
    assert d["occurrence"] == "template:0" and "按装" in d["context"]


def test_a_columns_boilerplate_paragraph_is_reported_once_at_the_column():
    boiler = "本栏目信息由区政府办负责发布，如需按装相关软件请联系我们。"
    pages = [article(i, "工作动态", body=boiler) for i in range(6)] + [article(30, "通知公告")]
    pages[2]["body_text"] += "\n会议要求抓好布署落实。"          # a typo of its own, on one page
    found = sorted((f["url"], f["evidence"], f["detail"].get("template", False))
                   for f in audit(pages) if f["check"] == "typo")
    assert found == [(COLS["工作动态"]["url"], "按装", True), (pages[2]["url"], "布署", False)]


def test_a_sentence_repeated_on_a_few_pages_of_big_columns_is_not_a_template():
    sentence = "各项工作不能按装部就班推进，要敢于创新。"
    pages = [article(i, col) for col in ("工作动态", "通知公告") for i in range(8)]
    for p in pages[::3]:                       # 6 of 16 pages: under half of the columns' pages
        p["body_text"] += "\n" + sentence
    found = [f for f in audit(pages) if f["check"] == "typo"]
    assert len(found) == 6 and not any(f["detail"].get("template") for f in found)


def test_a_tag_missing_on_every_article_of_a_column_is_one_template_finding():
    no_source = {k: v for k, v in TAGS.items() if k != "ContentSource"}
    pages = [article(i, "通知公告", tags=no_source) for i in range(5)] + \
            [article(i, "工作动态") for i in range(10, 14)] + [article(20, "工作动态", tags=no_source)]
    found = [f for f in audit(pages) if f["check"] == "missing_meta_tag"]
    assert sorted((f["url"], f["evidence"], f["detail"].get("pages_affected")) for f in found) == [
        (COLS["通知公告"]["url"], "ContentSource", 5), (pages[-1]["url"], "ContentSource", None)]
    t = next(f for f in found if f["detail"].get("template"))
    assert t["column"] == "通知公告" and t["detail"]["scope"] == "column" and t["detail"]["page_types"] == ["article"]


def test_an_identifier_missing_on_every_page_is_one_site_wide_finding():
    footer = "主办单位：长沙市开福区人民政府办公室\n网站标识码：4301050001　湘ICP备05006000号"
    pages = [article(i, col, footer=footer) for col in COLS for i in range(3)]
    pages.append(article(99, None, footer=footer, page_type="home"))
    found = [f for f in audit(pages) if f["check"] == "missing_site_id"]
    assert [(f["url"], f["evidence"], f["detail"]["scope"], f["detail"]["pages_affected"]) for f in found] == \
        [(HOME, "公安机关备案号", "site", 10)]


def test_a_mobile_number_in_a_footer_is_masked_and_reported_once():
    footer = FOOTER + "\n值班手机：13907310000（24小时）"
    found = [f for f in audit([article(i, "工作动态", footer=footer) for i in range(3)]) if f["check"] == "privacy_leak"]
    assert [(f["url"], f["evidence"], f["detail"]["pages_affected"]) for f in found] == \
        [(COLS["工作动态"]["url"], "139****0000", 3)]
    assert "13907310000" not in repr(found)


def test_without_a_survey_the_run_check_yields_nothing():
    assert list(templates.check_run(None, ctx())) == []


# ---------------------------------------------------------------- text blocks

def test_blocks_strip_invisible_characters_and_map_offsets_back():
    page = {"title": "关于布署工作的通知", "body_text": "第一段。\n抓好布\u200b署落\xa0实。", "metadata": {"文号": "开政发〔2020〕1号"}}
    blocks = textblocks.page_blocks(page)
    assert [(b.field, b.text) for b in blocks] == [("title", "关于布署工作的通知"), ("body", "第一段。"),
                                                   ("body", "抓好布署落 实。"), ("metadata", "开政发〔2020〕1号")]
    b = blocks[2]
    i = b.text.index("布署")
    text = textblocks.page_text(page)
    assert text[b.page_offset(i):b.page_offset(i) + 3] == "布\u200b署"
    assert b.source[slice(*b.source_span(i, i + 2))] == "布\u200b署" and blocks[3].page_offset(0) is None


def test_traditional_blocks_are_converted_one_character_for_one():
    b = textblocks.make_block("body", "長沙市開福區人民政府關於進一步優化營商環境的通知")
    assert b.converted and b.text == "长沙市开福区人民政府关于进一步优化营商环境的通知"
    assert len(b.text) == len(b.source)
    plain = textblocks.make_block("body", "显著提高乾坤两字的发展水平")     # simplified text stays as it is
    assert not plain.converted and plain.text == plain.source


def test_full_width_text_is_not_nfkc_normalised():
    b = textblocks.make_block("body", "（此件主动公开）ＡＢＣ１２３")
    assert b.text == "（此件主动公开）ＡＢＣ１２３"


# ---------------------------------------------------------------- on the simulated portal (real crawl, real HTTP)

MY_FAMILIES = ("missing_disclosure_label", "missing_metadata", "missing_meta_tag", "missing_site_id", "privacy_leak")


def test_content_families_meet_the_99_percent_bar(audited_portal):
    from scoring import describe, score
    for check in MY_FAMILIES:
        s = score(check, audited_portal.findings, audited_portal.truth["defects"])
        print(describe(s))
        assert s["expected"] > 0 and s["precision"] >= 0.99 and s["recall"] >= 0.99, describe(s)


def test_personal_data_in_attachments_is_found_masked(audited_portal):
    truth = {(d["url"], d["evidence"]) for d in audited_portal.truth["defects"]
             if d["check"] == "privacy_leak" and d.get("attachment")}
    found = {(f["url"], f["evidence"]) for f in audited_portal.findings
             if f["check"] == "privacy_leak" and f["detail"].get("attachment")}
    assert len(truth) == 6 and found == truth
    assert {u.rsplit(".", 1)[1] for u, _ in found} == {"pdf", "docx", "xlsx"}
    assert all("*" in e for _, e in found)


def test_template_findings_are_reported_once_with_their_page_counts(audited_portal):
    planted = [d for d in audited_portal.truth["defects"] if d.get("template")]
    assert {d["check"] for d in planted} == {"typo", "missing_meta_tag"}
    template = [f for f in audited_portal.findings if f["detail"].get("template")]
    for d in planted:
        same = [f for f in template if (f["check"], f["url"], f["evidence"]) == (d["check"], d["url"], d["evidence"])]
        assert len(same) == 1, d
        assert same[0]["detail"]["pages_affected"] == d["pages_affected"], (d, same[0]["detail"])
        # and no page of the template carries the same finding again
        again = [f for f in audited_portal.findings if f["check"] == d["check"] and f["evidence"] == d["evidence"]
                 and not f["detail"].get("template") and f["url"] in same[0]["detail"]["sample_urls"]]
        assert again == []
