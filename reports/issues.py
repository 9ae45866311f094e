"""Issue lists for webmasters: each finding as a person acts on it, in plain Chinese.

``issue_rows`` turns a run's findings into rows with the page title and link,
the problem in words, the evidence in context (the wrong word marked, a broken
link's anchor text and reason), the suggested fix, first seen and status.
``group_issues`` groups them by department and column, as the config names
them. Every string here is plain text: the HTML template escapes it, the
workbook writes it as text.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from reports.summary import CHECK_LABELS

# Check families, one per checks/ module; the workbook has one sheet per family.
FAMILIES = (
    ("links", "错链接", ("broken_link",)),
    ("typos", "错别字", ("typo",)),
    ("serious", "严重表述错误", ("serious_error",)),
    ("freshness", "栏目与首页更新", ("stale_home", "stale_column", "empty_column", "unreachable_column", "date_conflict")),
    ("stale_page", "过期信息", ("stale_page",)),
    ("disclosure", "公开属性标注", ("missing_disclosure_label",)),
    ("metadata", "信息公开目录元数据", ("missing_metadata",)),
    ("metatags", "网页元数据与网站标识", ("missing_meta_tag", "missing_site_id")),
    ("privacy", "个人信息保护", ("privacy_leak",)),
    ("interaction", "互动回应", ("unanswered_message",)),
    ("performance", "访问性能", ("slow_page",)),
    ("availability", "站点可访问", ("site_unreachable",)),
)
FAMILY_OF = {check: key for key, _label, checks in FAMILIES for check in checks}
FAMILY_LABELS = {key: label for key, label, _checks in FAMILIES}
SEVERITY_LABELS = {"veto": "单项否决", "deduct": "扣分", "warn": "预警"}
STATUS_LABELS = {"open": "未修复", "fixed": "已修复"}
PRIVACY_KINDS = {"id_number": "身份证号码", "mobile": "手机号码", "bank_card": "银行卡号"}
NO_COLUMN = "首页及其他页面"
NO_DEPARTMENT = "未指定责任部门"


def family_of(check: str) -> str:
    """The family key of a check; a check added later is a family of its own."""
    return FAMILY_OF.get(check, check)


def family_label(family: str) -> str:
    return FAMILY_LABELS.get(family, CHECK_LABELS.get(family, family))


def safe_href(url: str | None) -> str | None:
    """The URL when it is http(s), else None: a crawled ``javascript:`` link never becomes a live link."""
    try:
        scheme = urlsplit(url).scheme if url else ""
    except ValueError:          # e.g. "http://host[2020]/": shown as text, never linked
        return None
    return url if scheme in ("http", "https") else None


def marked_context(context: str | None, evidence: str | None, offset: int | None = None, width: int = 20):
    """(before, marked, after) of a context snippet with the evidence marked, or None."""
    if not context or not evidence:
        return None
    pos = -1
    if offset is not None:   # checks.context.snippet starts ``width`` characters before the match
        guess = min(int(offset), width)
        if context[guess:guess + len(evidence)] == evidence:
            pos = guess
    if pos < 0:
        pos = context.find(evidence)
    if pos < 0:
        return None
    return context[:pos], evidence, context[pos + len(evidence):]


def describe(f: dict) -> str:
    """The problem in plain Chinese, one line."""
    check, d, ev = f["check"], f.get("detail") or {}, f.get("evidence")
    if check == "broken_link":
        anchor = d.get("anchor_text") or ev
        what = f"链接“{anchor}”" if anchor else "链接"
        return f"{what}无法访问：{d.get('reason_label') or d.get('reason') or '访问出错'}"
    if check in ("typo", "serious_error"):
        kind = (("疑似错别字" if d.get("confidence") == "suspected" else "错别字") if check == "typo"
                else ("领导职务姓名错误" if d.get("kind") == "leader" else "严重表述错误"))
        return f"{kind}：“{ev}”应为“{f.get('suggestion')}”"
    if check == "stale_home":
        return (f"首页信息更新不及时：最新信息日期 {d.get('newest_date') or '无'}，"
                f"距检查日 {_days(d.get('days_since_update'))}（要求 {d.get('limit_days')} 天内更新）")
    if check == "stale_column":
        head = "栏目即将超期未更新" if f.get("severity") == "warn" else "栏目未及时更新"
        return (f"{head}：最新信息日期 {d.get('newest_date') or '无'}，距检查日 {_days(d.get('days_since_update'))}"
                f"（{d.get('category_label') or ''}栏目要求 {d.get('limit_days')} 天内更新）")
    if check == "empty_column":
        return "空白栏目：栏目下没有任何信息"
    if check == "missing_disclosure_label":
        if ev == "不予公开理由":
            return "公文标注不予公开，但未说明不予公开的理由"
        return "公文缺少公开属性标注（如“此件主动公开”）"
    if check == "missing_metadata":
        if d.get("reason") == "malformed":
            return f"索引号格式不规范：{d.get('value')}"
        if d.get("reason") == "after_publish":
            return f"成文日期（{d.get('written')}）晚于发布日期（{d.get('published')}）"
        return f"缺少信息公开目录元数据“{ev}”"
    if check == "missing_meta_tag":
        return f"网页{'元数据标签内容为空' if d.get('reason') == 'empty' else '缺少元数据标签'}：{ev}"
    if check == "missing_site_id":
        return "页面底部网站标识码与本站不符" if d.get("reason") == "wrong_code" else "页面底部缺少网站标识码"
    if check == "privacy_leak":
        return f"个人信息未脱敏：{PRIVACY_KINDS.get(d.get('kind'), '个人信息')} {ev}"
    if check == "site_unreachable":
        short = "" if d.get("enough_probes") else f"；探测不足 {d.get('probes_required')} 次，结论仅供参考"
        return (f"首页无法访问：近 {d.get('window_days')} 天探测 {d.get('probes')} 次，失败 {d.get('failures')} 次"
                f"（{float(d.get('ratio') or 0):.1%}，达到 {float(d.get('veto_ratio') or 0.05):.0%} 即单项否决）{short}")
    if check == "unanswered_message":
        return f"网民留言超过3个月未回复：{ev}" if ev else "网民留言超过3个月未回复"
    if check == "unreachable_column":
        return f"栏目无法访问（{ev}）"
    if check == "date_conflict":
        return f"发布日期不一致：{ev}"
    if check == "stale_page":
        if d.get("kind") == "expired":
            return f"文件已过有效期，仍标注为有效：{ev}"
        return f"应定期更新的信息已 {d.get('days_old')} 天未更新：{ev}"
    label = CHECK_LABELS.get(check, check)
    return f"{label}：{ev}" if ev else label


def _days(n) -> str:
    return f"{n} 天" if n is not None else "无日期"


def evidence_text(f: dict) -> str:
    """The evidence in context as one line of plain text (the wrong word in 【】)."""
    d = f.get("detail") or {}
    if f["check"] == "broken_link":
        parts = [f"链接文字：{d.get('anchor_text') or f.get('evidence') or '（无）'}",
                 f"目标：{f.get('target')}", f"原因：{d.get('reason_label') or d.get('reason')}"]
        if d.get("status_code"):
            parts.append(f"状态码 {d['status_code']}")
        return "；".join(parts)
    ctx = marked_context(d.get("context"), f.get("evidence"), d.get("offset"))
    if ctx:
        return f"…{ctx[0]}【{ctx[1]}】{ctx[2]}…"
    return f.get("evidence") or ""


def issue_rows(store, run_id: int, findings: list[dict] | None = None) -> list[dict]:
    """A run's findings (open and fixed by this run) as issue-list rows."""
    run = store.run(run_id)
    departments = {c["name"]: (c.get("department") or None) for c in run["config"].get("columns", [])}
    findings = store.findings(run_id) if findings is None else findings
    titles = store.page_titles(f["url"] for f in findings)
    home = run["config"]["site"]["home"]
    rows = []
    for f in findings:
        d = f.get("detail") or {}
        title = titles.get(f["url"]) or d.get("page_title") or ""
        if not title and f["url"] == home:
            title = "首页"
        ctx = None if f["check"] == "broken_link" else marked_context(d.get("context"), f.get("evidence"), d.get("offset"))
        family = family_of(f["check"])
        rows.append({
            "fingerprint": f["fingerprint"], "check": f["check"], "check_label": CHECK_LABELS.get(f["check"], f["check"]),
            "family": family, "family_label": family_label(family),
            "severity": f["severity"], "severity_label": SEVERITY_LABELS.get(f["severity"], f["severity"]),
            "status": f["status"], "status_label": STATUS_LABELS.get(f["status"], f["status"]),
            "column": f.get("column") or NO_COLUMN,
            "department": departments.get(f.get("column")) or NO_DEPARTMENT,
            "page_title": title, "url": f["url"], "href": safe_href(f["url"]),
            "problem": describe(f), "evidence": f.get("evidence") or "",
            "context": ctx, "context_text": evidence_text(f),
            "anchor_text": d.get("anchor_text") if f["check"] == "broken_link" else None,
            "reason_label": d.get("reason_label") if f["check"] == "broken_link" else None,
            "target": f.get("target"), "target_href": safe_href(f.get("target")),
            "suggestion": f.get("suggestion") or "",
            "first_seen": f["first_seen"], "last_seen": f["last_seen"],
        })
    rank = {"veto": 0, "deduct": 1, "warn": 2}
    rows.sort(key=lambda r: (r["status"] != "open", rank.get(r["severity"], 3), r["family"], r["url"], r["evidence"]))
    return rows


def group_issues(rows: list[dict]) -> list[dict]:
    """Rows grouped by department, then column: [{department, count, columns: [{column, rows}]}], biggest first."""
    by_dept: dict[str, dict[str, list]] = {}
    for r in rows:
        by_dept.setdefault(r["department"], {}).setdefault(r["column"], []).append(r)
    groups = []
    for dept, cols in by_dept.items():
        columns = [{"column": c, "rows": rs, "open": sum(r["status"] == "open" for r in rs)}
                   for c, rs in sorted(cols.items(), key=lambda kv: (-len(kv[1]), kv[0]))]
        groups.append({"department": dept, "columns": columns, "count": sum(len(c["rows"]) for c in columns),
                       "open": sum(c["open"] for c in columns)})
    groups.sort(key=lambda g: (g["department"] == NO_DEPARTMENT, -g["count"], g["department"]))
    return groups
