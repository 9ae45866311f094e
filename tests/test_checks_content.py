"""The content check families over small, realistic page records (no crawl, no I/O)."""
from __future__ import annotations


import pytest

from checks import disclosure, metadata, metatags, privacy, serious, typos
from checks.context import CheckContext, load_tsv

URL = "http://www.kaifu.gov.cn/zwgk/zcwj/202012/t20201201_1.html"
COLUMNS = {
    "政策文件": {"name": "政策文件", "category": "policy", "official_documents": True,
             "url": "http://www.kaifu.gov.cn/zwgk/zcwj/index.html"},
    "工作动态": {"name": "工作动态", "category": "news", "official_documents": False,
             "url": "http://www.kaifu.gov.cn/zwgk/gzdt/index.html"},
}
SITE = {"name": "长沙市开福区人民政府", "home": "http://www.kaifu.gov.cn/", "site_id_code": "4301050001"}


def ctx(**kw):
    base = dict(site=SITE, columns=COLUMNS, rules={}, as_of="2020-12-31")
    base.update(kw)
    return CheckContext(**base)


def page(**kw):
    p = {"url": URL, "final_url": URL, "status": 200, "encoding": "utf-8", "page_type": "article",
         "column": "工作动态", "title": "开福区召开安全生产工作会议", "publish_date": "2020-12-01",
         "body_text": "", "metadata": {}, "meta_tags": {}, "footer_text": "", "links": []}
    p.update(kw)
    return p


def run(module, p, c=None):
    return list(module.check(p, c or ctx()))


# ---------------------------------------------------------------- context and data files

def test_context_defaults_are_independent():
    a, b = CheckContext(), CheckContext()
    a.site["x"] = 1
    assert b.site == {} and a.whitelist == frozenset() and a.as_of is None
    c = CheckContext(site=SITE, columns=COLUMNS, rules={"home": {}}, as_of="2020-12-31")
    assert c.is_official_documents_page(page(column="政策文件"))
    assert not c.is_official_documents_page(page(column="工作动态"))
    assert not c.is_official_documents_page(page(column="政策文件", page_type="column"))


def test_typo_dictionary_is_well_formed_and_large():
    rows = load_tsv("typos.tsv")
    assert len(rows) >= 600
    wrongs = [r[0] for r in rows]
    assert len(wrongs) == len(set(wrongs)), "duplicate wrong forms"
    rights = {r[1] for r in rows}
    for r in rows:
        assert 2 <= len(r) <= 3 and r[0] != r[1], r
        assert not any(r[0] in right for right in rights), f"{r[0]} occurs inside a correct form"
    for pair in (("布署", "部署"), ("再接再励", "再接再厉"), ("按装", "安装"), ("迫不急待", "迫不及待"),
                 ("重迭", "重叠"), ("松驰", "松弛"), ("签定", "签订"), ("贯切", "贯彻"),
                 ("不径而走", "不胫而走"), ("精减机构", "精简机构")):
        assert pair in {(r[0], r[1]) for r in rows}, pair
    for valid in ("法制", "法治", "权利", "权力", "必需", "必须", "截止", "截至"):
        assert valid not in wrongs


def test_every_data_file_names_its_source_and_licence():
    from importlib.resources import files
    for f in files("checks").joinpath("data").iterdir():
        if f.name == "rules.toml" or not f.is_file():
            continue
        head = [l for l in f.read_text(encoding="utf-8").splitlines()[:12] if l.startswith("#")]
        assert head, f.name
        text = "\n".join(head).lower()
        assert "source" in text and "licen" in text, f.name


# ---------------------------------------------------------------- typos

def test_planted_typo_next_to_the_correct_word():
    p = page(body_text="区政府认真部署冬季安全生产工作。会议要求各单位抓好布署落实，再接再励，认真部署。")
    found = run(typos, p)
    assert [(f["evidence"], f["suggestion"]) for f in found] == [("布署", "部署"), ("再接再励", "再接再厉")]
    f = found[0]
    assert f["check"] == "typo" and f["severity"] == "deduct" and f["url"] == URL and f["column"] == "工作动态"
    text = p["title"] + "\n" + p["body_text"]
    assert text[f["detail"]["offset"]:f["detail"]["offset"] + 2] == "布署"
    assert "布署" in f["detail"]["context"] and f["detail"]["layer"] == "dictionary"
    assert f["detail"]["occurrence"] == 0


def test_one_finding_per_occurrence_counted_per_word():
    p = page(title="关于布署2021年工作的通知", body_text="一、布署安排。二、再次布署。")
    found = run(typos, p)
    assert [f["evidence"] for f in found] == ["布署"] * 3
    assert [f["detail"]["occurrence"] for f in found] == [0, 1, 2]
    assert found[0]["detail"]["field"] == "title" and found[1]["detail"]["field"] == "body"


def test_longest_match_wins_and_valid_sequences_are_not_typos():
    found = run(typos, page(body_text="要针贬时弊。按装修标准和装机容量执行，研究竞争政策，发布署名文章。按装空调。"))
    assert [(f["evidence"], f["suggestion"]) for f in found] == [("针贬时弊", "针砭时弊"), ("按装", "安装")]


def test_whitelist_silences_a_word():
    p = page(body_text="抓好布署落实。")
    assert run(typos, p, ctx(whitelist=frozenset({"布署"}))) == []
    assert len(run(typos, p)) == 1


# ---------------------------------------------------------------- serious errors

def serious_found(body, date="2020-11-20", title="学习贯彻会议精神"):
    return run(serious, page(title=title, body_text=body, publish_date=date))


def test_leader_name_near_miss_is_a_veto():
    found = serious_found("国务院总理李克疆在政府工作报告中强调，要千方百计稳定和扩大就业。", date="2020-05-23")
    assert len(found) == 1
    f = found[0]
    assert (f["check"], f["severity"], f["evidence"], f["suggestion"]) == \
        ("serious_error", "veto", "国务院总理李克疆", "国务院总理李克强")
    assert f["detail"]["phrase"] == "国务院总理李克强" and f["detail"]["occurrence"] == 0
    assert "李克疆" in f["detail"]["context"]


def test_former_premier_on_an_old_page_is_not_an_error():
    assert serious_found("2010年3月，国务院总理温家宝在十一届全国人大三次会议上作政府工作报告。", date="2010-03-05") == []
    # and the current premier's correct name is not a near-miss of his predecessor's
    assert serious_found("国务院总理李强主持召开国务院常务会议。", date="2023-06-01") == []


def test_miswritten_guiding_thought_reports_the_whole_phrase():
    found = serious_found("会议强调，要坚持以习近平新时代中国特色社会主意思想为指导。")
    assert [(f["evidence"], f["suggestion"]) for f in found] == \
        [("习近平新时代中国特色社会主意思想", "习近平新时代中国特色社会主义思想")]


def test_correct_long_phrase_containing_shorter_ones_is_clean():
    body = ("坚持以习近平新时代中国特色社会主义思想为指导，坚持和完善中国特色社会主义制度，"
            "根据《中华人民共和国政府信息公开条例》的规定，全面贯彻党的十九大和十九届二中、三中、四中、五中全会精神，"
            "学习贯彻党的十九届五中全会精神，庆祝中国共产党成立99周年，巩固深化“不忘初心、牢记使命”主题教育成果。")
    assert serious_found(body) == []


@pytest.mark.parametrize("normal_text", [
    "中国共产主义青年团开福区委员会", "中华人民共和国的成立", "不忘初心，牢记使命", "不忘初心牢记使命",
    "中国共产党十九届五中全会", "培育社会主义核心价值体系", "全面从严治军", "全面依法治县委员会办公室",
    "从四个方面提出意见", "两个维度", "我国共产党员", "党的十九届中央委员会",
])
def test_normal_text_next_to_a_phrase_is_not_flagged(normal_text):
    assert serious_found(normal_text) == []


@pytest.mark.parametrize("wrong, right", [
    ("中华人民共合国", "中华人民共和国"), ("中国共产觉", "中国共产党"), ("中国共党产", "中国共产党"),
    ("国家主习近平", "国家主席习近平"), ("党的十九届五中全汇", "党的十九届五中全会"),
    ("社会主义核心价值现", "社会主义核心价值观"), ("不忘初心、牢记史命", "不忘初心、牢记使命"),
    ("国务院总里李克强", "国务院总理李克强"), ("两个维户", "两个维护"),
])
def test_one_edit_near_misses(wrong, right):
    found = serious_found(f"全区上下要深刻认识{wrong}的重大意义。")
    assert [(f["evidence"], f["suggestion"]) for f in found] == [(wrong, right)]


def test_serious_error_offsets_and_occurrences():
    found = serious_found("中国共产觉成立。中国共产觉万岁。", title="中国共产党")
    assert [f["detail"]["occurrence"] for f in found] == [0, 1]
    text = "中国共产党\n中国共产觉成立。中国共产觉万岁。"
    assert all(text[f["detail"]["offset"]:].startswith("中国共产觉") for f in found)


def test_damerau_single_edit():
    assert serious.single_edit("中国共党产", "中国共产党")[0] == "transpose"
    assert serious.single_edit("中国共产", "中国共产党")[0] == "delete"
    assert serious.single_edit("中国共产党党", "中国共产党")[0] == "insert"
    assert serious.single_edit("中国产共产", "中国共产党") is None
    assert serious.single_edit("中国共产党", "中国共产党") is None


# ---------------------------------------------------------------- official documents: disclosure label

DOC_BODY = ("各街道办事处，区直各单位：\n为进一步优化营商环境，经区人民政府同意，现将有关事项通知如下。\n"
            "一、工作目标……\n二、工作措施……\n长沙市开福区人民政府办公室\n2020年11月25日\n{label}")
DOC_METADATA = {"索引号": "430105002/2020-00123", "发布机构": "长沙市开福区人民政府办公室", "成文日期": "2020-11-25",
                "文号": "开政办发〔2020〕12号", "主题分类": "综合政务", "发布日期": "2020-12-01"}


def policy_page(label="（此件主动公开）", metadata=None, body_text=None, column="政策文件", **kw):
    return page(column=column, title="长沙市开福区人民政府办公室关于优化营商环境的通知",
                body_text=DOC_BODY.format(label=label) if body_text is None else body_text,
                metadata=dict(DOC_METADATA) if metadata is None else metadata, **kw)


@pytest.mark.parametrize("label", ["（此件主动公开）", "(此件主动公开)", "此件公开发布", "（此件依申请公开）",
                                   "（ 此件主动公开 ）"])
def test_policy_document_with_its_label_is_clean(label):
    assert run(disclosure, policy_page(label)) == []


def test_policy_document_without_its_label():
    found = run(disclosure, policy_page(label=""))
    assert len(found) == 1
    f = found[0]
    assert (f["check"], f["severity"], f["evidence"], f["column"]) == \
        ("missing_disclosure_label", "deduct", "公开属性", "政策文件")
    assert f["suggestion"] == "在成文日期后标注（此件主动公开）等公开属性"
    assert "此件主动公开" in f["detail"]["accepted"] and "此件不予公开" in f["detail"]["accepted"]


def test_withheld_document_must_state_a_reason():
    found = run(disclosure, policy_page("（此件不予公开）"))
    assert [f["evidence"] for f in found] == ["不予公开理由"]
    assert run(disclosure, policy_page("（此件不予公开，理由：涉及国家秘密）")) == []


def test_label_before_the_date_line_is_misplaced():
    body = ("各街道办事处，区直各单位：\n现将有关事项通知如下。\n（此件主动公开）\n长沙市开福区人民政府办公室\n"
            "2020年11月25日")
    found = run(disclosure, policy_page(body_text=body))
    assert [(f["severity"], f["evidence"], f["detail"]["reason"], f["detail"]["label"]) for f in found] == \
        [("warn", "公开属性位置", "misplaced", "此件主动公开")]
    # at the top, before any date line, is misplaced too; after it, or with no date line at all, it is not
    assert run(disclosure, policy_page(body_text="（此件公开发布）\n正文。\n二〇二〇年十一月二十五日"))
    assert run(disclosure, policy_page(body_text="正文。\n2020年11月25日\n(此件主动公开)\n附件：2020-11-25 名单")) == []
    assert run(disclosure, policy_page(body_text="正文。\n（此件主动公开）")) == []


def test_missing_label_finding_says_no_label_was_found():
    f = run(disclosure, policy_page(label=""))[0]
    assert (f["detail"]["label"], f["detail"]["reason"]) == (None, "missing")
    f = run(disclosure, policy_page("（此件不予公开）"))[0]
    assert (f["detail"]["label"], f["detail"]["reason"]) == ("此件不予公开", "no_reason")


def test_labels_are_only_required_in_official_document_columns():
    news = page(column="工作动态", body_text="区长带队检查安全生产工作。")
    assert run(disclosure, news) == [] and run(metadata, news) == []
    listing = policy_page(label="", page_type="column")
    assert run(disclosure, listing) == []


# ---------------------------------------------------------------- official documents: catalogue metadata

def test_complete_metadata_is_clean():
    assert run(metadata, policy_page()) == []


def test_each_missing_or_empty_field_is_one_finding():
    md = dict(DOC_METADATA)
    del md["索引号"]
    md["主题分类"] = "  "
    found = run(metadata, policy_page(metadata=md))
    assert sorted(f["evidence"] for f in found) == ["主题分类", "索引号"]
    assert all(f["check"] == "missing_metadata" and f["detail"]["reason"] == "missing" for f in found)


def test_synonym_labels_are_accepted():
    md = dict(DOC_METADATA)
    md["发文机关："] = md.pop("发布机构")
    md["发文字号"] = md.pop("文号")
    assert run(metadata, policy_page(metadata=md)) == []


def test_metadata_read_from_the_body_when_not_extracted():
    body = ("索引号：430105002/2020-00123　　发布机构：长沙市开福区人民政府办公室\n"
            "成文日期：2020年11月25日　　文号：开政办发〔2020〕12号\n（此件主动公开）")
    found = run(metadata, page(column="政策文件", body_text=body, metadata={}))
    assert [f["evidence"] for f in found] == ["主题分类"]


@pytest.mark.parametrize("index_number, ok", [
    ("430105001/2020-00123", True), ("000014349/2020-00123", True), ("11430105MB1234567X/2020-00012", True),
    ("2020-00123", False), ("430105001-2020-00123", False), ("4301/2020-1", False),
])
def test_index_number_layout(index_number, ok):
    found = run(metadata, policy_page(metadata={**DOC_METADATA, "索引号": index_number}))
    assert (found == []) == ok
    if not ok:
        assert [(f["evidence"], f["detail"]["reason"]) for f in found] == [("索引号", "malformed")]


def test_written_after_published():
    found = run(metadata, policy_page(metadata={**DOC_METADATA, "成文日期": "2020年12月5日"}))
    assert [(f["evidence"], f["detail"]["reason"]) for f in found] == [("成文日期", "after_publish")]
    md = {k: v for k, v in DOC_METADATA.items() if k != "发布日期"}
    md["成文日期"] = "2020-12-05"
    found = run(metadata, policy_page(metadata=md, publish_date="2020-12-03"))
    assert [f["detail"]["reason"] for f in found] == ["after_publish"]


def test_validity_is_required_where_the_site_uses_it():
    cols = {**COLUMNS, "规范性文件": {"name": "规范性文件", "category": "policy", "official_documents": True,
                                  "url": "http://www.kaifu.gov.cn/zwgk/gfxwj/index.html"}}
    c = ctx(columns=cols)
    found = run(metadata, policy_page(column="规范性文件"), c)
    assert [(f["evidence"], f["detail"]["reason"]) for f in found] == [("有效性", "missing")]
    assert run(metadata, policy_page(column="规范性文件", metadata={**DOC_METADATA, "效力状态": "有效"}), c) == []
    assert run(metadata, policy_page(), c) == []        # 政策文件 does not use it
    cols["政策文件"] = {**COLUMNS["政策文件"], "validity_required": True}
    assert [f["evidence"] for f in run(metadata, policy_page(), ctx(columns=cols))] == ["有效性"]


def test_catalogue_in_a_table_a_list_and_label_value_text_reads_the_same():
    from lxml import html as lhtml

    from crawler.extract import extract_page
    cells = "".join(f"<tr><th>{k}：</th><td>{v}</td></tr>" for k, v in DOC_METADATA.items())
    dl = "".join(f"<dt>{k}：</dt><dd>{v}</dd>" for k, v in DOC_METADATA.items())
    text = "".join(f"<p>{k}：{v}</p>" for k, v in DOC_METADATA.items())
    for block in (f"<table>{cells}</table>", f"<dl>{dl}</dl>", f"<div>{text}</div>"):
        root = lhtml.fromstring(f"<html><body><div class='wrap'>{block}<h1>通知</h1>"
                                f"<div class='article-content'><p>正文</p></div></div></body></html>")
        record = extract_page(root, URL)
        assert run(metadata, page(column="政策文件", metadata=record["metadata"], body_text="正文")) == [], block


# ---------------------------------------------------------------- meta tags and 网站标识码

SITE_TAGS = {"SiteName": "长沙市开福区人民政府", "SiteDomain": "www.kaifu.gov.cn", "SiteIDCode": "4301050001"}
FOOTER = "主办单位：长沙市开福区人民政府办公室　网站标识码：4301050001　湘ICP备05001234号　湘公网安备 43010502000123号"
BADGE = [{"url": "http://bszs.conac.cn/sitename?method=show&id=0A1B2C", "tag": "a", "text": "", "kind": "external"}]


def test_article_with_all_tags_and_footer_is_clean():
    tags = {**SITE_TAGS, "ArticleTitle": "标题", "PubDate": "2020-12-01 09:30", "ContentSource": "区政府办"}
    assert run(metatags, page(meta_tags=tags, footer_text=FOOTER, links=BADGE)) == []


def test_required_tags_depend_on_page_type():
    column_page = page(page_type="column", meta_tags={**SITE_TAGS, "ColumnName": "政策文件", "ColumnType": "",
                                                       "columndescription": "区政府政策文件"},
                       footer_text=FOOTER, links=BADGE)
    found = run(metatags, column_page)
    assert sorted(f["evidence"] for f in found) == ["ColumnKeywords", "ColumnType"]
    assert {f["check"] for f in found} == {"missing_meta_tag"}
    home = page(page_type="home", meta_tags={"SiteName": "x", "SiteDomain": "y"}, footer_text=FOOTER, links=BADGE)
    assert [f["evidence"] for f in run(metatags, home)] == ["SiteIDCode"]


def site_id_findings(footer, c=None, links=BADGE):
    tags = {**SITE_TAGS, "ArticleTitle": "t", "PubDate": "2020-12-01", "ContentSource": "s"}
    return [f for f in run(metatags, page(meta_tags=tags, footer_text=footer, links=links), c)
            if f["evidence"] == "网站标识码"]


def test_footer_site_id_code():
    assert site_id_findings("网站标识码4301050001") == []
    missing = site_id_findings("湘ICP备05001234号")
    assert [(f["check"], f["evidence"]) for f in missing] == [("missing_site_id", "网站标识码")]
    wrong = site_id_findings("网站标识码：4301050002")
    assert [f["detail"]["reason"] for f in wrong] == ["wrong_code"]
    # without a configured code any 10-digit code will do
    assert site_id_findings("网站标识码: 4301050002", ctx(site={})) == []


def test_icp_police_and_party_badge_in_the_footer():
    tags = {**SITE_TAGS, "ArticleTitle": "t", "PubDate": "2020-12-01", "ContentSource": "s"}

    def missing(footer, links=()):
        return [f["evidence"] for f in run(metatags, page(meta_tags=tags, footer_text=footer, links=list(links)))]
    assert missing("网站标识码：4301050001") == ["ICP备案号", "公安机关备案号", "党政机关网站标识"]
    assert missing("网站标识码：4301050001　湘ICP备05006000号-1　湘公网安备43010502000123号") == ["党政机关网站标识"]
    badge_img = {"url": "http://www.kaifu.gov.cn/images/dzjg.png", "tag": "img", "text": "党政机关", "kind": "resource"}
    assert missing("网站标识码：4301050001 湘ICP备05006000号 湘公网安备 43010502000123号", [badge_img]) == []
    # an ICP number only as the text of its link to the MIIT register still counts; a bare "ICP" does not
    icp_link = {"url": "https://beian.miit.gov.cn/", "tag": "a", "text": "湘ICP备05006000号", "kind": "external"}
    assert "ICP备案号" not in missing("网站标识码：4301050001", [icp_link])
    assert "ICP备案号" in missing("网站标识码：4301050001 ICP 许可")
    f = run(metatags, page(meta_tags=tags, footer_text="网站标识码：4301050001", links=BADGE))
    assert {(x["check"], x["severity"], x["detail"]["reason"]) for x in f} == {("missing_site_id", "deduct", "missing")}


def test_error_pages_are_not_checked_for_tags():
    assert run(metatags, page(status=404)) == []


# ---------------------------------------------------------------- privacy

def id_number(first17):
    return first17 + privacy.id_check_char(first17)


VALID_ID = id_number("43010519850314201")
BAD_ID = VALID_ID[:17] + ("0" if VALID_ID[17] != "0" else "1")


def test_unmasked_valid_id_number_is_a_veto_and_never_stored_in_full():
    p = page(title="2020年公益性岗位人员公示",
             body_text=f"序号 姓名 身份证号码 联系电话\n1 张某某 {VALID_ID} 13812345678\n2 李某 4301**********1234 139****5678")
    found = run(privacy, p)
    assert [(f["severity"], f["detail"]["kind"], f["evidence"]) for f in found] == [
        ("veto", "id_number", VALID_ID[:6] + "********" + VALID_ID[-4:]),
        ("deduct", "mobile", "138****5678")]
    for f in found:
        blob = repr(f)
        assert VALID_ID not in blob and "13812345678" not in blob
        assert f["detail"]["occurrence"] == 0


def test_invalid_check_digit_or_birth_date_is_not_an_id():
    future = id_number("43010520300101123")       # born after the as-of date
    assert run(privacy, page(body_text=f"证件号 {BAD_ID} 和 {future}")) == []


def test_numbers_inside_longer_runs_urls_and_catalogue_numbers_are_ignored():
    body = (f"流水号2013812345678901234 订单A13812345678 "
            f"链接 http://www.kaifu.gov.cn/att/{VALID_ID}.pdf 统一社会信用代码：{VALID_ID}")
    assert run(privacy, page(body_text=body)) == []


def test_mobile_number_standing_alone_is_found():
    found = run(privacy, page(body_text="联系人：王某，电话：15907310000。"))
    assert [f["evidence"] for f in found] == ["159****0000"]


def test_bank_card_needs_luhn():
    base = "621700000000000012"[:17]
    card = next(base + d for d in "0123456789" if privacy.luhn_ok(base + d))
    not_card = next(base + d for d in "0123456789" if not privacy.luhn_ok(base + d))
    found = run(privacy, page(body_text=f"补贴发放至社保卡 {card}，请核对。旧卡 {not_card}"))
    assert [(f["detail"]["kind"], f["evidence"]) for f in found] == [("bank_card", card[:4] + "*" * 10 + card[-4:])]
    assert found[0]["severity"] == "deduct"


def test_a_number_broken_by_invisible_characters_is_still_found():
    p = page(body_text="联系电话：159\u200b0731\ufeff0000。")
    found = run(privacy, p)
    assert [f["evidence"] for f in found] == ["159****0000"]
    text = p["title"] + "\n" + p["body_text"]
    assert text[found[0]["detail"]["offset"]:].startswith("159")       # the offset is in the page's own text


@pytest.mark.parametrize("kind", ["pdf", "docx", "xlsx"])
def test_personal_data_in_an_attachment_record(kind):
    from crawler.attachments import attachment_text
    from portal_audit.simportal import documents
    rows = [["序号", "姓名", "身份证号码", "联系电话"], ["1", "张某某", VALID_ID, "13812345678"],
            ["2", "李某", VALID_ID[:4] + "*" * 10 + VALID_ID[-4:], "139****5678"]]
    body = {"pdf": lambda: documents.pdf_bytes(["\t".join(r) for r in rows]),
            "docx": lambda: documents.docx_bytes(["公益性岗位人员名单"], table=rows),
            "xlsx": lambda: documents.xlsx_bytes(rows)}[kind]()
    url = f"http://www.kaifu.gov.cn/attach/2020/12/fj_100123_1.{kind}"
    record = page(url=url, final_url=url, page_type="attachment", column="公示公告", title=url.rsplit("/", 1)[1],
                  publish_date=None, body_text=attachment_text(body, url))      # what the spider stores
    found = run(privacy, record)
    assert [(f["url"], f["evidence"], f["severity"]) for f in found] == [
        (url, VALID_ID[:6] + "********" + VALID_ID[-4:], "veto"), (url, "138****5678", "deduct")]
    assert all(f["detail"]["attachment"] and f["column"] == "公示公告" for f in found)
    assert VALID_ID not in repr(found) and "13812345678" not in repr(found)


def test_check_digit_algorithm_on_a_published_specimen():
    # GB 11643-1999 annex example
    assert privacy.id_check_char("11010519491231002") == "X"


# ---------------------------------------------------------------- module contract

@pytest.mark.parametrize("module", [typos, serious, disclosure, metadata, metatags, privacy])
def test_every_module_declares_its_check_names(module):
    assert module.CHECK_NAMES
    p = page(column="政策文件", body_text="布署　中国共产觉　13812345678", footer_text="")
    for f in module.check(p, ctx()):
        assert f["check"] in module.CHECK_NAMES
        assert set(f) == {"check", "severity", "url", "column", "target", "evidence", "suggestion", "detail"}
        assert f["target"] is None and isinstance(f["detail"], dict)
