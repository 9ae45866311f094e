"""The inspection summary: the figures inspectors count and the veto verdict.

Reads the store only. ``build_summary`` returns plain data; ``render_text``
writes it in Chinese for the terminal and for the nightly mail.
"""
from __future__ import annotations

from checks.freshness import CATEGORY_LABELS, STATE_LABELS
from checks.rundata import merged_rules

CHECK_LABELS = {
    "broken_link": "错链接", "typo": "错别字", "serious_error": "严重表述错误",
    "stale_home": "首页未及时更新", "stale_column": "栏目未及时更新", "empty_column": "空白栏目",
    "missing_disclosure_label": "缺少公开属性标注", "missing_metadata": "缺少信息公开目录元数据",
    "missing_meta_tag": "缺少网页元数据标签", "missing_site_id": "缺少网站标识",
    "privacy_leak": "个人信息未脱敏", "unanswered_message": "留言超期未回复", "slow_page": "页面访问缓慢",
}
VERDICT_LABELS = {"pass": "合格", "fail": "不合格", "warn": "预警"}


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
                 f"{len(by_check.get('serious_error', []))}处"),
        _verdict("互动回应", "留言超过3个月未回复",
                 "fail" if by_check.get("unanswered_message") else "pass",
                 f"{len(by_check.get('unanswered_message', []))}条"),
    ]
    verdict = "fail" if any(v["result"] == "fail" for v in verdicts) else \
        "warn" if any(v["result"] == "warn" for v in verdicts) else "pass"
    return {
        "run_id": run_id, "site": run["site_name"], "home": home, "as_of": run["as_of"],
        "started_at": run["started_at"], "finished_at": run["finished_at"], "run_status": run["status"],
        "pages_crawled": pages_total, "targets_checked": sum(outcome_counts.values()),
        "link_outcomes": outcome_counts,
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
    }


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
    review = {k: v for k, v in s["link_outcomes"].items() if k in ("blocked", "rate_limited")}
    if review:
        add("待人工复核链接: " + ", ".join(f"{ {'blocked': '被拦截', 'rate_limited': '访问受限'}[k] } {v} 个" for k, v in review.items()))
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
    for c in s["columns"]:
        add(f"  {c['name']} | {CATEGORY_LABELS.get(c['category'], c['category'])} | {c['items_listed']} | "
            f"{c['items_crawled']} | {c['newest_date'] or '-'} | "
            f"{c['days_since_update'] if c['days_since_update'] is not None else '-'} | {STATE_LABELS.get(c['state'], c['state'])}")
    return "\n".join(out) + "\n"
