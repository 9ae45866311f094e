"""The inspection summary: the figures inspectors count and the veto verdict.

Reads the store only. ``build_summary`` returns plain data; ``render_text``
writes it in Chinese for the terminal and for the nightly mail.
"""
from __future__ import annotations

from checks.availability import window
from checks.freshness import CATEGORY_LABELS, STATE_LABELS
from checks.rundata import merged_rules

CHECK_LABELS = {
    "broken_link": "错链接", "typo": "错别字", "serious_error": "严重表述错误",
    "stale_home": "首页未及时更新", "stale_column": "栏目未及时更新", "empty_column": "空白栏目",
    "missing_disclosure_label": "缺少公开属性标注", "missing_metadata": "缺少信息公开目录元数据",
    "missing_meta_tag": "缺少网页元数据标签", "missing_site_id": "缺少网站标识",
    "privacy_leak": "个人信息未脱敏", "unanswered_message": "留言超期未回复", "slow_page": "页面访问缓慢",
    "unreachable_column": "栏目无法访问", "date_conflict": "发布日期不一致", "stale_page": "信息过期未更新",
    "site_unreachable": "网站无法访问",
}
VERDICT_LABELS = {"pass": "合格", "fail": "不合格", "warn": "预警"}


def _reachability(found: list, home_fetched: bool, probes: list, rules: dict) -> dict:
    """站点可访问: from the week of home-page probes (portal-audit probe) and this run's own visit."""
    conf = rules.get("availability", {})
    days, per_day, limit = conf.get("window_days", 7), conf.get("probes_per_day", 15), conf.get("veto_ratio", 0.05)
    rule = f"一周内首页{conf.get('timeout_seconds', 15)}秒内无法打开的比例达{limit:.0%}"
    if found:
        d = found[0]["detail"]
        note = "" if d.get("enough_probes") else f"; 探测不足{d.get('probes_required')}次, 结论仅供参考"
        return _verdict("站点可访问", rule, "fail" if found[0]["severity"] == "veto" else "warn",
                        f"近{d.get('window_days')}天探测{d.get('probes')}次, 失败{d.get('failures')}次"
                        f"({d.get('ratio', 0):.1%}){note}")
    if probes:
        short = "" if len(probes) >= days * per_day else f"; 规则要求每天至少{per_day}次"
        return _verdict("站点可访问", rule, "pass" if home_fetched else "warn",
                        f"近{days}天探测{len(probes)}次, 全部正常{short}")
    return _verdict("站点可访问", rule, "pass" if home_fetched else "warn",
                    "本次首页访问正常(单次检查; 否决需一周多次探测: portal-audit probe)" if home_fetched
                    else "本次未能打开首页, 请用 portal-audit probe 持续探测")


def build_summary(store, run_id: int) -> dict:
    run = store.run(run_id)
    config = run["config"]
    rules = merged_rules(config.get("rules"))
    findings = [f for f in store.findings(run_id) if f["status"] == "open"]
    by_check: dict[str, list] = {}
    for f in findings:
        by_check.setdefault(f["check"], []).append(f)
    broken = by_check.get("broken_link", [])
    home = config["site"]["home"]
    columns = store.columns(run_id)
    pages_total = store.db.execute("select count(*) from pages where run_id = ?", [run_id]).fetchone()[0]
    statuses = store.db.query("select outcome, count(*) n from link_statuses where run_id = ? group by outcome", [run_id])
    outcome_counts = {r["outcome"]: r["n"] for r in statuses}

    home_fetched = store.db.execute("select 1 from pages where run_id = ? and (url = ? or page_type = 'home') limit 1",
                                    [run_id, home]).fetchone() is not None
    veto_cfg = rules.get("veto", {})
    stale = [c for c in columns if c["state"] == "stale"]
    stale_nn = [c for c in stale if c["category"] in ("news", "notice", "policy")]
    empty = [c for c in columns if c["state"] == "empty"]
    home_f = [f for f in by_check.get("stale_home", [])]
    home_cov = run["stats"].get("home_newest")
    verdicts = [
        _verdict("首页更新", "首页信息超过2周未更新",
                 "fail" if any(f["severity"] == "veto" for f in home_f) else "warn" if home_f else "pass",
                 f"最新信息日期 {home_f[0]['evidence']}" if home_f else
                 (f"最新信息日期 {home_cov}" if home_cov else None)),
        _verdict("栏目更新(动态要闻、通知公告、政策文件)", f"未及时更新栏目达{veto_cfg.get('stale_news_notice_columns', 5)}个",
                 "fail" if len(stale_nn) >= veto_cfg.get("stale_news_notice_columns", 5) else "warn" if stale_nn else "pass",
                 f"{len(stale_nn)}个: " + "、".join(c["name"] for c in stale_nn) if stale_nn else "0个"),
        _verdict("栏目长期未更新", f"长期未更新栏目达{veto_cfg.get('long_unupdated_columns', 10)}个",
                 "fail" if len(stale) >= veto_cfg.get("long_unupdated_columns", 10) else "warn" if stale else "pass",
                 f"{len(stale)}个"),
        _verdict("空白栏目", f"空白栏目达{veto_cfg.get('empty_columns', 5)}个",
                 "fail" if len(empty) >= veto_cfg.get("empty_columns", 5) else "warn" if empty else "pass",
                 f"{len(empty)}个: " + "、".join(c["name"] for c in empty) if empty else "0个"),
        _verdict("严重表述错误", "出现严重错别字或表述错误",
                 "fail" if by_check.get("serious_error") else "pass",
                 _examples(by_check.get("serious_error", []), "处")),
        _verdict("互动回应", "留言超过3个月未回复",
                 "fail" if by_check.get("unanswered_message") else "pass",
                 f"{len(by_check.get('unanswered_message', []))}条"),
        _reachability(by_check.get("site_unreachable", []), home_fetched,
                      store.availability(run["site_name"], *window(run["as_of"], rules)), rules),
    ]
    verdict = "fail" if any(v["result"] == "fail" for v in verdicts) else \
        "warn" if any(v["result"] == "warn" for v in verdicts) else "pass"
    return {
        "run_id": run_id, "site": run["site_name"], "home": home, "as_of": run["as_of"],
        "started_at": run["started_at"], "finished_at": run["finished_at"], "run_status": run["status"],
        "pages_crawled": pages_total, "targets_checked": sum(outcome_counts.values()),
        "link_outcomes": outcome_counts, "review_links": store.review_links(run_id),
        "interaction": run["stats"].get("interaction"),
        "broken_links": {
            "findings": len(broken),
            "targets": len({f["target"] for f in broken}),
            "pages": len({f["url"] for f in broken}),
            "on_home": len([f for f in broken if f["detail"].get("on_home")]),
        },
        "typos": len(by_check.get("typo", [])),
        "serious_errors": len(by_check.get("serious_error", [])),
        "counts": {check: len(items) for check, items in sorted(by_check.items())},
        "columns": columns, "stale_columns": len(stale), "empty_columns": len(empty),
        "verdicts": verdicts, "verdict": verdict,
        "history": run["stats"].get("history", {}),
        "home_fetched": home_fetched,
        "deductions": deduction_items(by_check),
        "annual": annual_totals(findings),
        "columns_worst_first": columns_worst_first(columns),
    }


def _examples(findings: list, unit: str, n: int = 3) -> str:
    if not findings:
        return f"0{unit}"
    words = list(dict.fromkeys(f"“{f['evidence']}”" + (f"(应为“{f['suggestion']}”)" if f.get("suggestion") else "")
                               for f in findings))
    return f"{len(findings)}{unit}: " + "、".join(words[:n]) + ("等" if len(words) > n else "")


def deduction_items(by_check: dict) -> list[dict]:
    """The deduction items (扣分项) with their counts, in the order inspectors list them."""
    broken = by_check.get("broken_link", [])
    home = [f for f in broken if f["detail"].get("on_home")]
    other = [f for f in broken if not f["detail"].get("on_home")]

    def pages(fs):
        return len({f["url"] for f in fs})
    items = [
        ("首页错链接", "broken_link", len({f["target"] for f in home}), "个",
         f"{len(home)}处" if home else ""),
        ("其他页面错链接", "broken_link", len({f["target"] for f in other}), "个",
         f"涉及{pages(other)}篇, {len(other)}处" if other else ""),
        ("错别字", "typo", len(by_check.get("typo", [])), "个",
         f"涉及{pages(by_check.get('typo', []))}篇" if by_check.get("typo") else ""),
        ("缺少公开属性标注", "missing_disclosure_label", pages(by_check.get("missing_disclosure_label", [])), "篇", ""),
        ("缺少信息公开目录元数据", "missing_metadata", len(by_check.get("missing_metadata", [])), "处",
         f"涉及{pages(by_check.get('missing_metadata', []))}篇" if by_check.get("missing_metadata") else ""),
        ("缺少网页元数据标签", "missing_meta_tag", len(by_check.get("missing_meta_tag", [])), "处",
         f"涉及{pages(by_check.get('missing_meta_tag', []))}个页面" if by_check.get("missing_meta_tag") else ""),
        ("缺少网站标识码", "missing_site_id", pages(by_check.get("missing_site_id", [])), "个页面", ""),
        ("个人信息未脱敏", "privacy_leak", len(by_check.get("privacy_leak", [])), "处",
         f"涉及{pages(by_check.get('privacy_leak', []))}篇" if by_check.get("privacy_leak") else ""),
    ]
    return [{"item": item, "check": check, "count": n, "unit": unit, "detail": detail}
            for item, check, n, unit, detail in items]


def annual_totals(findings: list) -> dict:
    """Counts in the annual report's terms: 错别字 N 个; 错链接 N 篇 (source pages) and N 个 (targets)."""
    broken = [f for f in findings if f["check"] == "broken_link"]
    return {"typos": sum(1 for f in findings if f["check"] == "typo"),
            "broken_pages": len({f["url"] for f in broken}),
            "broken_targets": len({f["target"] for f in broken}),
            "broken_findings": len(broken)}


STATE_RANK = {"unreachable": 0, "empty": 1, "stale": 2, "warn": 3, "ok": 4}


def columns_worst_first(columns: list[dict]) -> list[dict]:
    """Coverage rows, worst first: unreachable, empty, stale (most overdue first), warning, then fine."""
    def key(c):
        overdue = c["days_to_limit"] if c["days_to_limit"] is not None else float("inf")
        return (STATE_RANK.get(c["state"], 5), overdue, -(c["days_since_update"] or 0), c["name"])
    return sorted(columns, key=key)


def build_year(store, site: str, year: int) -> dict:
    """What was found and fixed within ``year`` (first seen / fixing run's as-of date), for the yearly report."""
    data = store.findings_in_year(site, year)
    found, fixed = data["found"], data["fixed"]

    def counts(fs):
        by: dict[str, int] = {}
        for f in fs:
            by[f["check"]] = by.get(f["check"], 0) + 1
        return dict(sorted(by.items()))
    return {"site": site, "year": year,
            "found": annual_totals(found), "fixed": annual_totals(fixed),
            "found_by_check": counts(found), "fixed_by_check": counts(fixed),
            "runs": len([r for r in store.site_runs(site) if (r["as_of"] or "").startswith(f"{year:04d}-")])}


def render_year_text(y: dict) -> str:
    f, x = y["found"], y["fixed"]
    out = [f"{y['site']} {y['year']}年度统计 (共检查 {y['runs']} 次)",
           f"发现错别字 {f['typos']} 个, 错链接 {f['broken_pages']} 篇, {f['broken_targets']} 个",
           f"已修改错别字 {x['typos']} 个, 错链接 {x['broken_pages']} 篇, {x['broken_targets']} 个",
           "",
           "年度报告参考表述:",
           f"  全年通过常态化巡检及时修改错别字{x['typos']}个、错链接约{x['broken_pages']}篇。",
           "",
           "分类统计 (发现 / 已修改):"]
    for check in sorted(set(y["found_by_check"]) | set(y["fixed_by_check"])):
        out.append(f"  {CHECK_LABELS.get(check, check)}: {y['found_by_check'].get(check, 0)} / "
                   f"{y['fixed_by_check'].get(check, 0)}")
    return "\n".join(out) + "\n"


def _verdict(rule, condition, result, evidence):
    return {"rule": rule, "condition": condition, "result": result, "label": VERDICT_LABELS[result],
            "evidence": evidence}


def render_text(s: dict) -> str:
    out = []
    add = out.append
    add(f"{s['site']} 网站检查摘要")
    add(f"运行编号 {s['run_id']}  检查基准日 {s['as_of']}  状态 {'完成' if s['run_status'] == 'complete' else s['run_status']}")
    add("")
    add(f"总体结论: {VERDICT_LABELS[s['verdict']]}")
    for v in s["verdicts"]:
        add(f"  [{v['label']}] {v['rule']}({v['condition']}): {v['evidence'] or ''}")
    add("")
    b = s["broken_links"]
    add(f"抓取页面 {s['pages_crawled']} 个, 检查链接目标 {s['targets_checked']} 个")
    add(f"错链接 {b['pages']} 篇, {b['targets']} 个 (其中首页 {b['on_home']} 个, 共 {b['findings']} 处)")
    add(f"错别字 {s['typos']} 个, 严重表述错误 {s['serious_errors']} 处")
    add(f"未及时更新栏目 {s['stale_columns']} 个, 空白栏目 {s['empty_columns']} 个")
    inter = s.get("interaction") or {}
    if inter.get("letters"):
        avg = f"{inter['avg_reply_days']} 天" if inter.get("avg_reply_days") is not None else "-"
        add(f"互动交流: 近一年留言 {inter['letters']} 条, 已回复 {inter['answered']} 条, 平均回复 {avg}, "
            f"超过{inter['limit_days']}天未回复 {inter['overdue']} 条")
    review = s.get("review_links") or []
    if review:
        labels = {"blocked": "被拦截(401/403)", "rate_limited": "访问受限(429)"}
        add(f"待人工复核链接 {len(review)} 个 (不计入错链接; 可能是对方网站拦截爬虫或限制访问频率):")
        for r in review[:20]:
            add(f"  {labels[r['outcome']]} {r['target']} (出现在 {r['pages']} 个页面, 如 {r['example_page']})")
        if len(review) > 20:
            add(f"  … 另有 {len(review) - 20} 个, 见数据库 link_statuses 表")
    add("")
    if s.get("deductions"):
        add("扣分项:")
        for d in s["deductions"]:
            add(f"  {d['item']}: {d['count']} {d['unit']}" + (f" ({d['detail']})" if d["detail"] else ""))
        a = s["annual"]
        add(f"年度报告口径: 错别字 {a['typos']} 个, 错链接 {a['broken_pages']} 篇 ({a['broken_targets']} 个)")
        add("")
    add("问题分类统计:")
    for check, n in s["counts"].items():
        add(f"  {CHECK_LABELS.get(check, check)}: {n}")
    if s.get("history"):
        h = s["history"]
        add(f"与上次相比: 新发现 {h.get('new', 0)}, 仍未修复 {h.get('open', 0)}, 已修复 {h.get('fixed', 0)}")
    add("")
    add("栏目更新情况:")
    add("  栏目 | 类别 | 条目 | 已抓取 | 最新日期 | 距今天数 | 状态")
    for c in s.get("columns_worst_first") or s["columns"]:
        add(f"  {c['name']} | {CATEGORY_LABELS.get(c['category'], c['category'])} | {c['items_listed']} | "
            f"{c['items_crawled']} | {c['newest_date'] or '-'} | "
            f"{c['days_since_update'] if c['days_since_update'] is not None else '-'} | {STATE_LABELS.get(c['state'], c['state'])}")
    return "\n".join(out) + "\n"
