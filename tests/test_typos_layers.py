"""The typo layers one by one: the shipped data, context rules, a site's own rules, the statistical layer."""
from __future__ import annotations

import re

import pytest

from checks import suspect, typos
from checks.context import CheckContext, data_text, load_tsv
from portal_audit.audit import make_context
from portal_audit.config import ConfigError, load_config, parse_config


def page(body, title="关于做好冬季安全生产工作的通知", url="http://www.kaifu.gov.cn/art/2020/12/1/art_1_1.html"):
    return {"url": url, "title": title, "body_text": body, "column": "通知公告"}


def found(body, ctx=None):
    return [(f["evidence"], f["suggestion"], f["detail"]["layer"]) for f in typos.check(page(body), ctx or CheckContext())]


# ---------------------------------------------------------------- the shipped dictionary
def test_dictionary_has_2000_pairs_well_formed_and_unique():
    head = data_text("typos.tsv").split("\n", 8)[:8]
    assert any("Source" in line for line in head) and any("Licence" in line for line in head)
    rows = load_tsv("typos.tsv")
    wrongs = [r[0] for r in rows]
    assert len(rows) >= 2000 and len(set(wrongs)) == len(wrongs)
    rights = {r[1] for r in rows}
    for r in rows:
        assert len(r) == 3 and r[0] != r[1] and re.fullmatch(r"[\u4e00-\u9fff]+", r[0] + r[1]), r
        assert r[0] not in rights, f"{r[0]} is listed as wrong and as right"
    # a right form must never contain a wrong one, or correct text would be flagged
    assert not [(w, r) for r in rights for w in wrongs if w in r and w != r][:1]


def test_every_right_form_reads_clean():
    text = "。".join(sorted({r[1] for r in load_tsv("typos.tsv")}))
    assert typos.find_typos(text) == []


def test_context_rules_file_names_its_source_and_compiles():
    assert "Source" in data_text("typo_context_rules.tsv")
    rules = typos.context_rules()
    assert len(rules) >= 10 and all("w" in regex.groupindex for _, _, regex, _ in rules)


# ---------------------------------------------------------------- the near-miss layer
@pytest.mark.parametrize("text, wrong, right", [
    ("做到心中有树，手中有策。", "心中有树", "心中有数"),     # same pinyin (shu)
    ("全区上下同心协历，共克时艰。", "同心协历", "同心协力"),   # 下同 is a word, but a rare one
    ("大家迫不及侍地投入工作。", "迫不及侍", "迫不及待"),     # look-alike shape (侍/待)
    ("以精益求晶的态度抓好质量。", "精益求晶", "精益求精"),
])
def test_near_miss_of_a_set_phrase_is_a_typo(text, wrong, right):
    assert not typos.find_typos(text), "the example must be one the dictionary does not list"
    assert found(text) == [(wrong, right, "near_miss")]


def test_near_miss_settings_ship_with_their_source():
    conf = typos.near_miss_settings()
    assert "Source" in data_text("near_miss.toml") and "Licence" in data_text("confusion_shape.tsv")
    assert 4 in conf["lengths"] and min(conf["lengths"]) >= 4 and conf["min_ratio"] >= 10


def test_near_miss_leaves_valid_text_word_boundaries_and_serious_errors_alone():
    assert found("全区中小学教育质量稳步提升，一丝不苟抓落实。") == []        # 中小学|教育 is no slip of 中小学校
    assert found("坚持以马克思列宁主义、毛泽东思想为指导。") == []
    # a miswritten political phrase is the serious check's (veto), not a typo as well
    assert [f for f in found("坚持社会注义核心价值观。") if f[2] == "near_miss"] == []


def test_dictionary_wins_where_both_layers_match():
    assert found("全力以付做好防汛工作。") == [("全力以付", "全力以赴", "dictionary")]


def test_near_miss_obeys_the_site_whitelist_and_settings():
    assert found("要未雨愁缪。", CheckContext(whitelist=frozenset({"未雨愁缪"}))) == []
    strict = CheckContext(rules={"near_miss": {"min_phrase_freq": 10 ** 9}})
    assert found("要未雨愁缪。") == [("未雨愁缪", "未雨绸缪", "near_miss")]
    assert found("要未雨愁缪。", strict) == []


# ---------------------------------------------------------------- context rules: only where one is wrong
@pytest.mark.parametrize("wrong_text, expected", [
    ("深入推进法制政府建设。", ("法制", "法治")),
    ("区政府公布部门权利清单。", ("权利", "权力")),
    ("依法保障公民的权力和义务。", ("权力", "权利")),
    ("各单位必需坚持安全第一。", ("必需", "必须")),
    ("企业顺利度过难关。", ("度过", "渡过")),
    ("老人们渡过了一个温暖的春节。", ("渡过", "度过")),
    ("截止目前，全区已完成九成。", ("截止", "截至")),
    ("截止2020年11月底，全区新增岗位3200个。", ("截止", "截至")),
    ("区委对冬季工作做出部署。", ("做出", "作出")),
    ("专项行动取的了明显成效。", ("取的", "取得")),
    ("垃圾分类工作做的很好。", ("做的", "做得")),
    ("既使遇到再大的困难，也要按期完成。", ("既使", "即使")),     # 即使……也: concession
])
def test_context_rule_reports_the_wrong_look_alike(wrong_text, expected):
    assert found(wrong_text) == [(*expected, "context")]


@pytest.mark.parametrize("right_text", [
    "把各项工作纳入法制轨道，健全法制体系。", "依法维护群众的合法权利，规范权力运行。",
    "调配防疫必需物资，必须做到账物相符。", "全区平稳度过汛期，欢度国庆假期。",
    "报名截止时间为2020年12月20日。", "这是大家共同争取的成果。", "他们为社区作出了突出贡献。",
    "这样既使群众满意，又使企业受益。", "既使群众得实惠，也使企业减负担。", "既使用传统方法，也使用新技术。",
])
def test_context_rules_stay_quiet_where_the_word_is_right(right_text):
    assert found(right_text) == []


# ---------------------------------------------------------------- a site's own whitelist and rules
def test_site_whitelist_and_extra_rules_from_the_config(tmp_path):
    (tmp_path / "whitelist.txt").write_text("# 本站专名\n布署长  # a person's title in our county\n", encoding="utf-8")
    (tmp_path / "house.tsv").write_text(
        "# 本站规则\n开福新区\t开福区\t旧称\n"
        "创文\t创建文明城市\t(?P<w>创文)(?=工作)\t不用简称\n"
        "坏规则\t好\t(?P<w>[\n", encoding="utf-8")
    (tmp_path / "site.toml").write_text(
        '[site]\nname = "开福区"\nhome = "http://www.kaifu.gov.cn/"\n'
        '[typos]\nwhitelist = "whitelist.txt"\nextra_rules = "house.tsv"\n', encoding="utf-8")
    config = load_config(tmp_path / "site.toml").to_dict()
    ctx = make_context(config, "2020-12-31")
    assert "布署长" in ctx.whitelist and ctx.extra_typos == (("开福新区", "开福区"),)
    assert len(ctx.extra_context_rules) == 1          # the broken regex line is skipped, with a warning
    got = found("布署长刘某出席。区政府布署创文工作，开福新区面貌一新。", ctx)
    assert got == [("布署", "部署", "dictionary"), ("创文", "创建文明城市", "site"), ("开福新区", "开福区", "site")]


def test_inline_whitelist_silences_a_word():
    ctx = make_context(parse_config({"site": {"name": "x", "home": "http://x.gov.cn/"},
                                     "typos": {"whitelist": ["布署"]}}).to_dict(), "2020-12-31")
    assert found("认真布署工作。", ctx) == []


@pytest.mark.parametrize("table, key", [
    ({"whitelist": 3}, "typos.whitelist"), ({"whitelist": [""]}, "typos.whitelist"),
    ({"extra_rules": ["a"]}, "typos.extra_rules"), ({"extras": "x.tsv"}, "typos.extras"),
    ({"extra_rules": "/no/such/file.tsv"}, "typos.extra_rules"),
])
def test_typos_config_errors_name_the_key(table, key):
    with pytest.raises(ConfigError, match=re.escape(key)):
        parse_config({"site": {"name": "x", "home": "http://x.gov.cn/"}, "typos": table})


# ---------------------------------------------------------------- the statistical layer (疑似)
def suspects(*texts, ctx=None):
    rows = [(f"http://x.gov.cn/art/{i}.html", "工作动态", t) for i, t in enumerate(texts)]
    return [(f["evidence"], f["suggestion"], f["detail"]["method"]) for f in
            suspect.suspects_in_texts(rows, ctx or CheckContext())]


def test_same_pinyin_substitute_far_more_common_is_suspected():
    text = "该项目计划投资3000万员，年内开工。"
    assert not typos.find_typos(text), "the example must be one the dictionary does not list"
    assert suspects(text) == [("万员", "万元", "same_pinyin")]


def test_near_miss_of_a_well_known_idiom_is_suspected():
    assert suspects("各项工作不能按步就班，要主动作为。") == [("按步就班", "按部就班", "idiom")] or \
        typos.find_typos("按步就班")      # the dictionary may already list it; then it is left to the dictionary


def test_findings_are_suspected_warnings_never_veto():
    rows = [("http://x.gov.cn/a.html", None, "项目总投资1200万员。")]
    f = list(suspect.suspects_in_texts(rows, CheckContext()))[0]
    assert f["check"] == "typo" and f["severity"] == "warn"
    assert f["detail"]["confidence"] == "suspected" and f["detail"]["layer"] == "statistical"


def test_names_words_of_today_and_the_sites_own_vocabulary_are_not_suspected():
    assert suspects("副区长黄晓敏出席会议。", "医护人员奔赴抗疫一线。", "坚持立行立改。") == []
    assert suspects("序号姓名性别身份证号码\n1钟洋男4301********", "2石洋 女 4301") == []   # names in a table
    term = "在湘江畔举行万员仪式。"                      # a made-up local term on many pages
    assert suspects(term, term, term) == []
    assert suspects(term) != []


def test_spans_of_other_layers_are_left_to_them():
    assert suspects("区委认真布署工作。", "全面建城小康社会。") == []


def test_check_run_reads_the_runs_page_texts():
    class Run:
        @staticmethod
        def page_texts():
            yield "http://x.gov.cn/a.html", "工作动态", "项目总投资1200万员。"
    assert [f["evidence"] for f in suspect.check_run(Run(), CheckContext())] == ["万员"]


def test_maintainers_pair_checker_flags_what_the_dictionary_rules_forbid():
    import importlib.util
    from pathlib import Path
    path = Path(__file__).resolve().parent.parent / "scripts" / "typo_pairs.py"
    spec = importlib.util.spec_from_file_location("typo_pairs", path)
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    rows = [("布署", "部署", "词语"),            # listed
            ("一新一意", "一心一意", "成语"),      # new and fine
            ("部署", "布署", "词语"),              # the wrong way round: a real word
            ("万众一新", "万众一心", "虫子"),      # bad note
            ("爱滋病", "艾滋病", "词语")]          # inside jieba's 爱滋病患, whose corrected form is no word
    flagged = dict(tool.problems(rows))
    assert sorted(flagged) == [1, 3, 4, 5], flagged
    assert "already listed" in flagged[1] and "word in jieba" in flagged[3] and "inside" in flagged[5]


def test_a_valid_sequence_in_the_exceptions_silences_a_near_miss_it_covers(monkeypatch):
    # stand-in exception list: the shipped one holds no sequence over a near miss we could plant
    monkeypatch.setattr(typos, "exceptions", lambda: frozenset({"心中有树苗"}))
    conf = typos.near_miss_settings()
    assert typos.find_near_misses("林场心中有树苗三千株。", conf) == []
    assert typos.find_near_misses("做到心中有树。", conf) == [(2, "心中有树", "心中有数")]
